/**
 * Health of one organisation's sync, from the status answer: connection, token expiry, last sync, the
 * queue by type, the latest drift report, and a progress bar with the time left while a resync or a
 * backfill runs (the caller polls, so the bar moves as records sync).
 */
import { useRef } from 'preact/hooks';
import { dateTime, fromNow, typeLabel } from '../lib/format.ts';
import type { StatusAnswer } from '../lib/types.ts';
import { SyncStatusBadge } from './badge.tsx';
import { ProgressBar } from './progress.tsx';

const STATES = ['pending', 'synced', 'failed', 'skipped'] as const;
/** A resync's bar stays (at done) this long after it started, so whoever started it sees it finish. */
const RECENT_MS = 60 * 60_000;

/** Records per second over the last observations, for a backfill's time left (none is reported for it). */
function useObservedRate(done: number, active: boolean): number | undefined {
  const samples = useRef<Array<{ at: number; done: number }>>([]);
  if (!active) {
    samples.current = [];
    return undefined;
  }
  const list = samples.current;
  if (list.length === 0 || list[list.length - 1]!.done !== done) list.push({ at: Date.now(), done });
  while (list.length > 10) list.shift();
  if (list.length < 2) return undefined;
  const first = list[0]!;
  const last = list[list.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  return seconds > 0 && last.done > first.done ? (last.done - first.done) / seconds : undefined;
}

export function HealthView({ status }: { status: StatusAnswer }) {
  const byType = status.records_by_type ?? {};
  const types = Object.keys(byType).filter((t) => STATES.some((s) => byType[t]![s] > 0));
  const all = Object.values(byType).reduce((sum, c) => sum + c.pending + c.synced + c.failed + c.skipped, 0);
  const progress = status.progress;
  const resyncRunning = !!progress && !progress.finished;
  const backfillRunning = !resyncRunning && status.pending_syncs > 0;
  const settled = all - status.pending_syncs;
  const rate = useObservedRate(settled, backfillRunning);
  const drift = status.reconciliation;

  return (
    <div class="health">
      <dl class="facts">
        <div>
          <dt>Sync</dt>
          <dd>
            <SyncStatusBadge status={status.sync_status} />
            {(status.degraded_reason ?? status.paused_reason) && <span class="hint"> ({(status.degraded_reason ?? status.paused_reason)!.replace(/_/g, ' ')})</span>}
          </dd>
        </div>
        <div>
          <dt>Now</dt>
          <dd>
            <SyncStatusBadge status={status.sync_activity} />
          </dd>
        </div>
        <div>
          <dt>Connection</dt>
          <dd>
            {status.connected ? 'Connected' : (status.connection_status ?? 'not connected').replace(/_/g, ' ')}
            {status.xero_tenant_name ? ` to ${status.xero_tenant_name}` : ''}
          </dd>
        </div>
        <div>
          <dt>Access token</dt>
          <dd>{status.token_expires_at ? `expires ${fromNow(status.token_expires_at)} (renewed automatically)` : 'none'}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{status.last_sync ? <time dateTime={status.last_sync} title={dateTime(status.last_sync)}>{fromNow(status.last_sync)}</time> : 'never'}</dd>
        </div>
      </dl>

      {progress && (resyncRunning || Date.now() - Date.parse(progress.started_at) < RECENT_MS) ? (
        <ProgressBar
          id="resync-progress"
          label={`Resync of ${progress.sync_types.map((t) => typeLabel[t] ?? t).join(', ')}${progress.failed > 0 ? ` (${progress.failed} failed)` : ''}`}
          done={progress.done}
          total={progress.total}
          etaSeconds={progress.eta_seconds}
        />
      ) : progress ? (
        <p class="hint">
          Last resync: {progress.total.toLocaleString('en')} records, finished{progress.failed > 0 ? ` with ${progress.failed} failed` : ''} (started {fromNow(progress.started_at)}).
        </p>
      ) : null}
      {backfillRunning && (
        <ProgressBar id="backfill-progress" label="Records sent to Xero" done={settled} total={all} etaSeconds={rate ? status.pending_syncs / rate : null} />
      )}

      <table class="counts">
        <caption>Records by type</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            {STATES.map((s) => (
              <th scope="col" key={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {types.length === 0 && (
            <tr>
              <td colSpan={5}>No records yet: they appear as the main app sends members, invoices, receipts and expenses.</td>
            </tr>
          )}
          {types.map((t) => (
            <tr key={t}>
              <th scope="row">{typeLabel[t] ?? t}</th>
              {STATES.map((s) => (
                <td key={s} class={s === 'failed' && byType[t]![s] > 0 ? 'bad' : undefined}>
                  {byType[t]![s].toLocaleString('en')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Latest drift report</h3>
      {drift ? (
        <div>
          <p>
            Reconciliation {fromNow(drift.last_run_at)} ({drift.trigger}):{' '}
            {drift.drift.total === 0 ? 'nothing had drifted.' : `${drift.drift.total} change(s) no webhook had announced were found and repaired.`}
            {drift.note ? ` ${drift.note}` : ''}
          </p>
          {drift.drift.examples.length > 0 && (
            <ul>
              {drift.drift.examples.map((e, i) => (
                <li key={i}>
                  {e.kind.replace(/_/g, ' ')}: {e.record} — {e.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p class="hint">No reconciliation has run yet: it runs on a schedule and finds what webhooks did not announce.</p>
      )}
      {status.warnings && status.warnings.length > 0 && (
        <ul class="warnings">
          {status.warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
      )}
      <RevenueRecognition revenue={status.revenue_recognition} />
      {status.workflow_unavailable && <p class="hint">Live workflow details unavailable: {status.workflow_unavailable.detail}</p>}
    </div>
  );
}

/** Earned and unearned revenue of lines with a service period, once a deferred revenue account is set. */
function RevenueRecognition({ revenue }: { revenue: StatusAnswer['revenue_recognition'] }) {
  if (!revenue) return null;
  // No deferred revenue account: nothing is recognised, but lines with a service period deserve a warning.
  if (!revenue.deferred_revenue_account_code) return revenue.warning ? <p class="hint" id="revenue-recognition">{revenue.warning}</p> : null;
  const money = (amount: string) => `${revenue.base_currency ?? ''} ${Number(amount).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`.trim();
  return (
    <div id="revenue-recognition">
      <h3>Revenue recognition</h3>
      <dl class="facts">
        <div>
          <dt>Deferred</dt>
          <dd>{money(revenue.total_net)}</dd>
        </div>
        <div>
          <dt>Earned</dt>
          <dd>{money(revenue.earned)}</dd>
        </div>
        <div>
          <dt>Unearned</dt>
          <dd>{money(revenue.unearned)}</dd>
        </div>
        <div>
          <dt>Last journal</dt>
          <dd>{revenue.last_journal ? `${revenue.last_journal.period} (${revenue.last_journal.date.slice(0, 10)})` : 'none yet'}</dd>
        </div>
      </dl>
      {revenue.warning && <p class="hint">{revenue.warning}</p>}
    </div>
  );
}

/** How often to poll the status: fast while records are moving, slowly otherwise. */
export const statusPollMs = (status: StatusAnswer | undefined) => (!status ? 5_000 : status.pending_syncs > 0 || (status.progress && !status.progress.finished) ? 1_000 : 5_000);
