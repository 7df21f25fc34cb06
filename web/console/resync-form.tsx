/**
 * Resync: choose the types and, optionally, a date; the console first shows how many records that is and
 * how long it takes at Xero's pace, and starts only once the admin confirms.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import { count, duration, typeLabel } from '../lib/format.ts';
import type { ResyncInput, ResyncPreviewAnswer } from '../lib/types.ts';
import { ConfirmDialog } from '../components/confirm.tsx';
import { Field } from '../components/field.tsx';
import { Notice } from '../components/notice.tsx';

const TYPES = ['contacts', 'invoices', 'payments', 'expenses'] as const;

export function ResyncForm({ api, base, onStarted }: { api: Api; base: string; onStarted: () => void }) {
  const [types, setTypes] = useState<string[]>([...TYPES]);
  const [since, setSince] = useState('');
  const [preview, setPreview] = useState<ResyncPreviewAnswer | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [started, setStarted] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const scope = (): ResyncInput => ({
    sync_types: types as ResyncInput['sync_types'],
    ...(since ? { since: new Date(since).toISOString() } : {}),
  });
  const fail = (err: unknown) => setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));

  const review = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setStarted(undefined);
    if (types.length === 0) return setError(new ApiError(422, 'validation_failed', 'Choose at least one type of record.'));
    setBusy(true);
    try {
      const { sync_types, since: from } = scope();
      const params = new URLSearchParams({ sync_types: (sync_types ?? []).join(',') });
      if (from) params.set('since', from);
      setPreview(await api.get<ResyncPreviewAnswer>(`${base}/resync/preview?${params}`));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    setBusy(true);
    try {
      const answer = await api.send<{ total: number; eta_seconds: number }>('POST', `${base}/resync`, scope());
      setStarted(`Resync started: ${count(answer.total, 'record')}, about ${duration(answer.eta_seconds)}. Progress shows under Health.`);
      setPreview(undefined);
      onStarted();
    } catch (err) {
      setPreview(undefined);
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={review} noValidate>
      <fieldset>
        <legend>Types of record</legend>
        {TYPES.map((t) => (
          <div class="checkbox" key={t}>
            <input type="checkbox" id={`resync-${t}`} checked={types.includes(t)} onChange={(e) => setTypes(e.currentTarget.checked ? [...types, t] : types.filter((x) => x !== t))} />
            <label for={`resync-${t}`}>{typeLabel[t]}</label>
          </div>
        ))}
      </fieldset>
      <Field id="resync-since" label="Only records changed since (optional)" hint="Empty: every record of those types." error={error?.field('body.since') ?? error?.field('query.since')}>
        {(aria) => <input {...aria} type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />}
      </Field>
      {error && !error.fields.length && <Notice tone="error">{error.message}</Notice>}
      {started && <Notice tone="success">{started}</Notice>}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          Review resync…
        </button>
      </div>
      <ConfirmDialog open={!!preview} title="Start this resync?" confirmLabel={`Resync ${count(preview?.total ?? 0, 'record')}`} busy={busy} onConfirm={start} onCancel={() => setPreview(undefined)}>
        {preview && (
          <>
            <p>
              {count(preview.total, 'record')} will be sent to Xero again
              {preview.since ? ` (changed since ${new Date(preview.since).toLocaleString('en-GB')})` : ''}: about <strong>{duration(preview.eta_seconds)}</strong> at Xero's pace.
            </p>
            <ul>
              {preview.sync_types.map((t) => (
                <li key={t}>
                  {typeLabel[t]}: {preview.by_type[t]?.toLocaleString('en') ?? 0}
                </li>
              ))}
            </ul>
            <p class="hint">Synced records are sent as updates of the same Xero records: no duplicate is created.</p>
          </>
        )}
      </ConfirmDialog>
    </form>
  );
}
