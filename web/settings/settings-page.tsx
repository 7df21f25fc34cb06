/**
 * Settings > Integrations > Xero for an organisation's admin: prerequisites, the Xero card (connect,
 * pick an organisation, reconnect), health and problems, every setting and mapping, test connection,
 * and disconnect at the bottom.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { IntegrationCard, PageBoot, SetupAnswer } from '../lib/types.ts';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { SessionWatch } from '../components/session.tsx';
import { Section } from '../components/section.tsx';
import { XeroCard } from './xero-card.tsx';
import { Prerequisites } from './prerequisites.tsx';
import { HealthSection } from './health-section.tsx';
import { Manage } from './manage.tsx';
import { TestConnection } from './test-connection.tsx';
import { Disconnect } from './disconnect.tsx';

export function SettingsPage({ boot, api }: { boot: PageBoot; api: Api }) {
  const base = `/api/orgs/${encodeURIComponent(boot.orgId ?? '')}/integrations/xero`;
  const [card, setCard] = useState<IntegrationCard | undefined>();
  const [setup, setSetup] = useState<SetupAnswer | undefined>();
  const [error, setError] = useState<unknown>();

  const reload = async () => {
    try {
      const [nextCard, nextSetup] = await Promise.all([api.get<IntegrationCard>(base), api.get<SetupAnswer>(`${base}/setup`)]);
      setCard(nextCard);
      setSetup(nextSetup);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void reload(), []);

  const planRequired = error instanceof ApiError && error.code === 'plan_required';
  return (
    <div class="page">
      <h1>Xero</h1>
      <p class="lead">Accounting synchronization and financial reporting: members become Xero contacts, invoices and receipts go to Xero, and payments made in Xero come back.</p>
      <SessionWatch />
      {planRequired ? (
        <Section id="card" title="Xero">
          <Notice tone="warning" title="Your plan does not include integrations">
            {(error as ApiError).message} Check Settings &gt; Billing in the main app.
          </Notice>
        </Section>
      ) : error ? (
        <ErrorNotice error={error} what="The Xero integration" />
      ) : !card || !setup ? (
        <p class="loading">Loading…</p>
      ) : (
        <>
          <XeroCard api={api} base={base} card={card} setup={setup} flash={boot.flash} onChange={reload} />
          <Prerequisites setup={setup} />
          <HealthSection api={api} base={base} card={card} />
          <Manage api={api} base={base} card={card} onChange={reload} />
          <TestConnection api={api} base={base} card={card} />
          <Disconnect api={api} base={base} card={card} onChange={reload} />
        </>
      )}
    </div>
  );
}
