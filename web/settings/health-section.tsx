/**
 * Health and problems of this organisation's sync: the status endpoint, polled (every second while
 * records are moving), failed records with Retry, and the sync log.
 */
import type { Api } from '../lib/api.ts';
import type { IntegrationCard, StatusAnswer } from '../lib/types.ts';
import { usePoll } from '../lib/use-poll.ts';
import { HealthView, statusPollMs } from '../components/health.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Problems } from '../components/problems.tsx';
import { Section } from '../components/section.tsx';
import { SyncLog } from '../components/sync-log.tsx';
import { dateTime, fromNow } from '../lib/format.ts';

export function HealthSection({ api, base, card }: { api: Api; base: string; card: IntegrationCard }) {
  const status = usePoll(() => api.get<StatusAnswer>(`${base}/status`), statusPollMs);
  return (
    <>
      <Section id="health" title="Health">
        {status.data ? (
          <HealthView status={status.data} />
        ) : status.error ? (
          <>
            <dl class="facts">
              <div>
                <dt>Access token</dt>
                <dd>{card.tokenExpiresAt ? `expires ${fromNow(card.tokenExpiresAt)}` : 'none'}</dd>
              </div>
              <div>
                <dt>Last sync</dt>
                <dd>{card.lastSyncAt ? dateTime(card.lastSyncAt) : 'never'}</dd>
              </div>
            </dl>
            <ErrorNotice error={status.error} what="Sync health" />
          </>
        ) : (
          <p class="loading">Loading…</p>
        )}
      </Section>
      <Section id="problems" title="Problems" intro="Records Xero refused, with Xero's own message and what to do about it. Fix the cause (often a mapping below), then retry.">
        {status.data ? <Problems api={api} status={status.data} retryUrl={`${base}/retry`} onRetried={status.reload} /> : status.error ? <ErrorNotice error={status.error} what="Failed records" /> : null}
        <h3>Sync log</h3>
        <SyncLog api={api} logsUrl={`${base}/logs`} />
      </Section>
    </>
  );
}
