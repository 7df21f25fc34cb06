/**
 * One mapping table (service → account, or tax code → tax rate): rows to add, change and remove, saved
 * together. Saving replaces this table and keeps the other one as it is.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { MappingsInput, OrgMappings } from '../lib/types.ts';
import { Notice } from '../components/notice.tsx';

type Kind = keyof OrgMappings;
interface Row {
  key: number;
  code: string;
  xero: string;
}

let nextKey = 1;
const rowsOf = (map: Record<string, string> = {}): Row[] => Object.entries(map).map(([code, xero]) => ({ key: nextKey++, code, xero }));

export function MappingTable(props: {
  api: Api;
  base: string;
  kind: Kind;
  title: string;
  intro: string;
  codeLabel: string;
  xeroLabel: string;
  /** The datalist of Xero's choices for the Xero column, when the choices route has them. */
  listId?: string;
  mappings: OrgMappings;
  onSaved: (m: OrgMappings) => void;
}) {
  const { api, base, kind, mappings } = props;
  const [rows, setRows] = useState<Row[]>(() => rowsOf(mappings[kind]));
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = `map-${kind}`;
  const update = (key: number, change: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    const table = Object.fromEntries(rows.filter((r) => r.code.trim() || r.xero.trim()).map((r) => [r.code.trim(), r.xero.trim()]));
    const body: MappingsInput = { ...mappings, [kind]: table };
    try {
      const answer = await api.send<OrgMappings>('PUT', `${base}/mappings`, body);
      setRows(rowsOf(answer[kind]));
      setSaved(true);
      props.onSaved({ serviceAccounts: answer.serviceAccounts, taxTypes: answer.taxTypes, trackingCategories: answer.trackingCategories, serviceItems: answer.serviceItems });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const problem = (row: Row) => error?.field(`body.${kind}.${row.code.trim()}`);
  return (
    <form class="mapping" onSubmit={save} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.title}</h3>
      <p class="hint">{props.intro}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{props.codeLabel}</th>
            <th scope="col">{props.xeroLabel}</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3}>No mappings yet.</td>
            </tr>
          )}
          {rows.map((row, i) => (
            <tr key={row.key} class={problem(row) ? 'invalid' : undefined}>
              <td>
                <input type="text" aria-label={`${props.codeLabel}, row ${i + 1}`} value={row.code} onInput={(e) => update(row.key, { code: e.currentTarget.value })} />
              </td>
              <td>
                <input
                  type="text"
                  list={props.listId}
                  autoComplete="off"
                  aria-label={`${props.xeroLabel} for ${row.code || `row ${i + 1}`}`}
                  aria-invalid={problem(row) ? 'true' : undefined}
                  aria-describedby={problem(row) ? `${id}-error-${row.key}` : undefined}
                  value={row.xero}
                  onInput={(e) => update(row.key, { xero: e.currentTarget.value })}
                />
                {problem(row) && (
                  <p class="field-error" id={`${id}-error-${row.key}`}>
                    {problem(row)}
                  </p>
                )}
              </td>
              <td>
                <button type="button" class="button link" aria-label={`Remove ${row.code || `row ${i + 1}`}`} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <Notice tone="error" title="Not saved">{error.fields.length ? 'Fix the codes marked above.' : error.message}</Notice>}
      {saved && <Notice tone="success">Saved.</Notice>}
      <div class="actions">
        <button type="button" class="button secondary" onClick={() => setRows([...rows, { key: nextKey++, code: '', xero: '' }])}>
          Add a row
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving\u2026' : `Save ${props.title.toLowerCase()}`}
        </button>
      </div>
    </form>
  );
}
