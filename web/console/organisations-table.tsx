/**
 * Every organisation in one table, those needing attention first: connection state, health, pending
 * and failed counts, last sync; search and filters are kept in the address, so a view can be shared.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api.ts';
import { fromNow } from '../lib/format.ts';
import type { ConsoleListAnswer, ConsoleListQuery } from '../lib/types.ts';
import { CONSOLE_PAGE, consoleOrgPage } from '../../api/ui/paths.ts';
import { Badge, SyncStatusBadge } from '../components/badge.tsx';
import { ErrorNotice } from '../components/notice.tsx';

const HEALTHS = ['needs_reauth', 'degraded', 'paused', 'healthy', 'disconnected'] as const;
const PAGE = 50;

function fromAddress(): { q: string; health: string; attention: boolean; offset: number } {
  const p = new URLSearchParams(window.location.search);
  return { q: p.get('q') ?? '', health: p.get('health') ?? '', attention: p.get('attention') === 'true', offset: Number(p.get('offset') ?? 0) || 0 };
}

export function OrganisationsTable({ api }: { api: Api }) {
  const [filters, setFilters] = useState(fromAddress);
  const [answer, setAnswer] = useState<ConsoleListAnswer | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const query: ConsoleListQuery = { limit: PAGE, offset: filters.offset };
    if (filters.q) query.q = filters.q;
    if (filters.health) query.health = filters.health as ConsoleListQuery['health'];
    if (filters.attention) query.attention = 'true';
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    window.history.replaceState(null, '', `${CONSOLE_PAGE}?${params}`);
    const timer = window.setTimeout(() => {
      api.get<ConsoleListAnswer>(`/api/admin/integrations/xero?${params}`).then((a) => (setAnswer(a), setError(undefined)), setError);
    }, 200); // typing in the search box: one request once the person pauses
    return () => window.clearTimeout(timer);
  }, [filters]);

  const change = (next: Partial<typeof filters>) => setFilters({ ...filters, offset: 0, ...next });
  return (
    <>
      <h1>Xero sync: organisations</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="org-search">Search</label>
          <input id="org-search" type="search" value={filters.q} placeholder="Organisation or Xero organisation" onInput={(e) => change({ q: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="org-health">Health</label>
          <select id="org-health" value={filters.health} onChange={(e) => change({ health: e.currentTarget.value })}>
            <option value="">Any</option>
            {HEALTHS.map((h) => (
              <option key={h} value={h}>
                {h.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <div class="field toggle">
          <input id="org-attention" type="checkbox" checked={filters.attention} onChange={(e) => change({ attention: e.currentTarget.checked })} />
          <label for="org-attention">Needs attention only</label>
        </div>
      </form>
      {error ? <ErrorNotice error={error} what="Organisations" /> : null}
      {answer && (
        <>
          <table class="organisations">
            <caption aria-live="polite">{answer.total.toLocaleString('en')} organisation(s), needing attention first</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Xero organisation</th>
                <th scope="col">Connection</th>
                <th scope="col">Health</th>
                <th scope="col">Pending</th>
                <th scope="col">Failed</th>
                <th scope="col">Last sync</th>
              </tr>
            </thead>
            <tbody>
              {answer.organisations.length === 0 && (
                <tr>
                  <td colSpan={7}>No organisation matches.</td>
                </tr>
              )}
              {answer.organisations.map((o) => (
                <tr key={o.organization_id} class={o.needs_attention ? 'attention' : undefined}>
                  <th scope="row">
                    <a href={consoleOrgPage(o.organization_id)}>{o.name ?? o.organization_id}</a>
                    {o.needs_attention && (
                      <>
                        {' '}
                        <Badge tone="warning">Needs attention</Badge>
                      </>
                    )}
                  </th>
                  <td>{o.xero_tenant_name ?? '\u2014'}</td>
                  <td>{(o.connection_status ?? 'not connected').replace(/_/g, ' ')}</td>
                  <td>
                    <SyncStatusBadge status={o.health} />
                  </td>
                  <td>{o.pending_syncs.toLocaleString('en')}</td>
                  <td class={o.failed_syncs > 0 ? 'bad' : undefined}>{o.failed_syncs.toLocaleString('en')}</td>
                  <td>{fromNow(o.last_sync)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="actions" aria-label="Pages">
            <button type="button" class="button secondary" disabled={filters.offset === 0} onClick={() => setFilters({ ...filters, offset: Math.max(0, filters.offset - PAGE) })}>
              Previous
            </button>
            <button type="button" class="button secondary" disabled={answer.next_offset === null} onClick={() => setFilters({ ...filters, offset: answer.next_offset ?? filters.offset })}>
              Next
            </button>
          </nav>
        </>
      )}
    </>
  );
}
