/**
 * Failed records with Xero's message and what to do, a Retry button for each and one for all of a
 * type. Retrying only re-queues: the organisation's workflow sends them again at Xero's pace.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import { count, fromNow, typeLabel } from '../lib/format.ts';
import type { RetryInput, StatusAnswer } from '../lib/types.ts';
import { Notice } from './notice.tsx';

interface RetryAnswer {
  requeued: number;
  not_found: string[];
  not_failed: Array<{ record_id: string; state: string }>;
}

/** `invoice`, or `invoice_sync` in the organisation-scoped vocabulary: the record type retry takes. */
const recordType = (type: string) => type.replace(/_sync$/, '') as RetryInput['sync_type'];

/** The status joins Xero's words and our hint with " — ". */
function splitMessage(message: string): { xero: string; hint?: string } {
  const at = message.indexOf(' \u2014 ');
  return at < 0 ? { xero: message } : { xero: message.slice(0, at), hint: message.slice(at + 3) };
}

export function Problems({ api, status, retryUrl, onRetried }: { api: Api; status: StatusAnswer; retryUrl: string; onRetried: () => void }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | undefined>();
  const records = status.errors.filter((e) => e.record_id && e.type !== 'connection');
  const connection = status.errors.filter((e) => !e.record_id || e.type === 'connection');
  const types = [...new Set(records.map((r) => recordType(r.type)))];

  const retry = async (key: string, body: RetryInput) => {
    setBusy(key);
    setOutcome(undefined);
    try {
      const answer = await api.send<RetryAnswer>('POST', retryUrl, body);
      const skipped = answer.not_failed.length + answer.not_found.length;
      setOutcome({
        tone: 'success',
        text: `${count(answer.requeued, 'record')} queued again: ${answer.requeued > 0 ? 'they are sent to Xero shortly' : 'nothing was failed any more'}.${skipped ? ` ${skipped} had nothing to retry.` : ''}`,
      });
      onRetried();
    } catch (err) {
      setOutcome({ tone: 'error', text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="problems">
      {connection.map((e, i) => (
        <Notice key={`c${i}`} tone="error" title="Connection">
          {e.message} <span class="hint">({fromNow(e.timestamp)})</span>
        </Notice>
      ))}
      {outcome && <Notice tone={outcome.tone}>{outcome.text}</Notice>}
      {records.length === 0 ? (
        <p>No failed records.</p>
      ) : (
        <>
          <div class="actions">
            {types.map((t) => (
              <button key={t} type="button" class="button secondary" disabled={!!busy} onClick={() => retry(`all:${t}`, { sync_type: t })}>
                {busy === `all:${t}` ? 'Retrying\u2026' : `Retry all failed ${(typeLabel[t] ?? t).toLowerCase()}`}
              </button>
            ))}
          </div>
          <table class="failures">
            <caption>Failed records ({status.failed_syncs.toLocaleString('en')}{status.failed_syncs > records.length ? `, newest ${records.length} shown` : ''})</caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">What Xero said</th>
                <th scope="col">What to do</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {records.map((e) => {
                const { xero, hint } = splitMessage(e.message);
                const type = recordType(e.type);
                const key = `${type}:${e.record_id}`;
                return (
                  <tr key={key}>
                    <th scope="row">
                      {(typeLabel[type] ?? type).replace(/s$/, '')} <code>{e.record_id}</code>
                    </th>
                    <td>{xero}</td>
                    <td>{hint ?? '\u2014'}</td>
                    <td>
                      <time dateTime={e.timestamp}>{fromNow(e.timestamp)}</time>
                    </td>
                    <td>
                      <button type="button" class="button secondary" disabled={!!busy} aria-label={`Retry ${type} ${e.record_id}`} onClick={() => retry(key, { sync_type: type, record_ids: [e.record_id!] })}>
                        {busy === key ? 'Retrying\u2026' : 'Retry'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
