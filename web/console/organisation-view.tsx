/**
 * One organisation in the console: the same health and problems as its settings page (through the admin
 * routes), Retry, Resync, the status endpoint's full answer, and the way into the Temporal Web UI.
 */
import type { Api } from '../lib/api.ts';
import type { PageBoot, StatusAnswer } from '../lib/types.ts';
import { usePoll } from '../lib/use-poll.ts';
import { CONSOLE_PAGE } from '../../api/ui/paths.ts';
import { HealthView, statusPollMs } from '../components/health.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Problems } from '../components/problems.tsx';
import { Section } from '../components/section.tsx';
import { SyncLog } from '../components/sync-log.tsx';
import { ResyncForm } from './resync-form.tsx';

/** The Web UI's workflow list, filtered to this organisation's workflow and its reconciliation runs. */
function temporalLink(temporal: PageBoot['temporal'], orgId: string): string | undefined {
  if (!temporal.uiUrl) return undefined;
  const query = `WorkflowId = "xero-org:${orgId}" OR WorkflowId STARTS_WITH "xero-reconcile:${orgId}"`;
  return `${temporal.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

export function OrganisationView({ api, boot, orgId }: { api: Api; boot: PageBoot; orgId: string }) {
  const base = `/api/admin/integrations/xero/${encodeURIComponent(orgId)}`;
  const status = usePoll(() => api.get<StatusAnswer>(`${base}/status`), statusPollMs, [orgId]);
  const temporal = temporalLink(boot.temporal, orgId);
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={CONSOLE_PAGE}>All organisations</a> / <span aria-current="page">{orgId}</span>
      </nav>
      <h1>
        {orgId}
        {status.data?.xero_tenant_name ? <span class="subtitle"> · {status.data.xero_tenant_name}</span> : null}
      </h1>
      <p class="actions">
        {temporal ? (
          <a class="button secondary" href={temporal} target="_blank" rel="noopener noreferrer">
            Open its workflows in the Temporal Web UI
          </a>
        ) : (
          <span class="hint">Set TEMPORAL_UI_URL to link this organisation's workflows in the Temporal Web UI (workflow id xero-org:{orgId}).</span>
        )}
      </p>
      <Section id="health" title="Health">
        {status.data ? <HealthView status={status.data} /> : status.error ? <ErrorNotice error={status.error} what="Status" /> : <p class="loading">Loading…</p>}
      </Section>
      <Section id="problems" title="Problems">
        {status.data && <Problems api={api} status={status.data} retryUrl={`${base}/retry`} onRetried={status.reload} />}
        <h3>Sync log</h3>
        <SyncLog api={api} logsUrl={`${base}/logs`} />
      </Section>
      <Section id="resync" title="Resync" intro="Sends every record of the chosen types to Xero again (as updates: synced records keep their Xero ids), or only those changed since a date.">
        <ResyncForm api={api} base={base} onStarted={status.reload} />
      </Section>
      <Section id="status-json" title="Status endpoint">
        <details>
          <summary>
            Full answer of <code>GET {base}/status</code>
          </summary>
          <pre class="json" tabIndex={0} aria-label="Status answer">
            {status.data ? JSON.stringify(status.data, null, 2) : ''}
          </pre>
        </details>
      </Section>
    </>
  );
}
