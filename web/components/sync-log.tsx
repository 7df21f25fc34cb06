/** The sync log (the logs endpoint), filterable by type, outcome and record, newest first, paged. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api.ts';
import { dateTime, typeLabel } from '../lib/format.ts';
import type { LogsAnswer } from '../lib/types.ts';
import { ErrorNotice } from './notice.tsx';

const OUTCOMES = ['ok', 'failed', 'retrying', 'skipped', 'deferred'];

export function SyncLog({ api, logsUrl }: { api: Api; logsUrl: string }) {
  const [filters, setFilters] = useState({ type: '', outcome: '', record_id: '' });
  const [applied, setApplied] = useState(filters);
  const [entries, setEntries] = useState<LogsAnswer['entries']>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);

  const load = async (from: string | null) => {
    setLoading(true);
    const params = new URLSearchParams(Object.entries(applied).filter(([, v]) => v));
    params.set('limit', '50');
    if (from) params.set('cursor', from);
    try {
      const answer = await api.get<LogsAnswer>(`${logsUrl}?${params}`);
      setEntries((previous) => (from ? [...previous, ...answer.entries] : answer.entries));
      setCursor(answer.next_cursor);
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), [applied, logsUrl]);

  return (
    <div class="sync-log">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <div class="field">
          <label for="log-type">Type</label>
          <select id="log-type" value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.currentTarget.value })}>
            <option value="">All types</option>
            {['contact', 'invoice', 'payment', 'expense'].map((t) => (
              <option key={t} value={t}>
                {typeLabel[t]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="log-outcome">Outcome</label>
          <select id="log-outcome" value={filters.outcome} onChange={(e) => setFilters({ ...filters, outcome: e.currentTarget.value })}>
            <option value="">All outcomes</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="log-record">Record id</label>
          <input id="log-record" type="search" value={filters.record_id} onInput={(e) => setFilters({ ...filters, record_id: e.currentTarget.value })} />
        </div>
        <button type="submit" class="button secondary">
          Filter
        </button>
      </form>
      {error ? (
        <ErrorNotice error={error} what="Sync log" />
      ) : (
        <table class="log">
          <caption>Sync log</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Record</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colSpan={5}>{loading ? 'Loading\u2026' : 'Nothing logged for these filters.'}</td>
              </tr>
            )}
            {entries.map((e) => (
              <tr key={String(e.id)}>
                <td>
                  <time dateTime={e.at}>{dateTime(e.at)}</time>
                </td>
                <td>{e.record_type ? `${e.record_type} ${e.record_id ?? ''}` : 'organisation'}</td>
                <td>{e.action}</td>
                <td class={e.outcome === 'failed' ? 'bad' : undefined}>{e.outcome}</td>
                <td>
                  {e.message}
                  {e.hint ? <span class="hint"> {e.hint}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && !error && (
        <button type="button" class="button secondary" disabled={loading} onClick={() => load(cursor)}>
          {loading ? 'Loading\u2026' : 'Show older entries'}
        </button>
      )}
    </div>
  );
}
