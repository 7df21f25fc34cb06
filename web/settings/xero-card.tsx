/**
 * The Xero card: its state in words (not connected, connected with the Xero organisation's name, needs
 * re-authorisation and why, disconnected), Connect / Configure / Reconnect, and after a consent that
 * covered several Xero organisations, the choice of one. Connect sends the browser to Xero's consent
 * page, which brings it back here.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import type { ConnectInput, IntegrationCard, PageBoot, SetupAnswer, StartedConsent } from '../lib/types.ts';
import { Badge } from '../components/badge.tsx';
import { Notice, type Tone } from '../components/notice.tsx';
import { TenantPicker } from './tenant-picker.tsx';

const STATE: Record<IntegrationCard['status'], { label: string; tone: Tone | 'neutral' }> = {
  not_connected: { label: 'Not connected', tone: 'neutral' },
  connected: { label: 'Connected', tone: 'success' },
  needs_reauth: { label: 'Needs re-authorisation', tone: 'error' },
  disconnected: { label: 'Disconnected', tone: 'neutral' },
  awaiting_tenant: { label: 'Choose an organisation', tone: 'warning' },
};

/** Xero's pages refuse to be framed: inside the main app's iframe, the consent opens in the whole window. */
function goTo(url: string) {
  if (window.top && window.top !== window.self) window.top.location.href = url;
  else window.location.assign(url);
}

function FlashNotice({ flash }: { flash: NonNullable<PageBoot['flash']> }) {
  if (flash.code === 'connected') return <Notice tone="success" title={flash.title}>{flash.message}</Notice>;
  if (flash.code === 'awaiting_tenant') return <Notice tone="info" title={flash.title}>Your consent covers several Xero organisations: choose the one to sync with below.</Notice>;
  return <Notice tone={flash.status >= 400 ? 'error' : 'info'} title={flash.title}>{flash.message}</Notice>;
}

export function XeroCard({ api, base, card, setup, flash, onChange }: { api: Api; base: string; card: IntegrationCard; setup: SetupAnswer; flash: PageBoot['flash']; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const state = STATE[card.status];
  const customAvailable = setup.environment.some((v) => v.name === 'XERO_TENANT_ID' && v.set) || setup.xeroApp === 'own';

  const connect = async (type: ConnectInput['type']) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: ConnectInput = { type };
      const answer = await api.send<StartedConsent | IntegrationCard>('POST', `${base}/connect`, body);
      if ('consentUrl' in answer) return goTo(answer.consentUrl);
      onChange();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const connectLabel = card.status === 'needs_reauth' ? 'Reconnect' : card.status === 'disconnected' ? 'Connect again' : 'Connect';
  return (
    <section id="card" aria-labelledby="card-title" class="panel card">
      <div class="card-head">
        <div class="logo" aria-hidden="true">
          X
        </div>
        <div>
          <h2 id="card-title">Xero</h2>
          <p class="card-state">
            <Badge tone={state.tone}>{state.label}</Badge>
            {card.status === 'connected' && card.xeroOrganisationName && (
              <span class="org-name">
                {' '}
                to <strong>{card.xeroOrganisationName}</strong>
              </span>
            )}
          </p>
        </div>
      </div>
      {flash && <FlashNotice flash={flash} />}
      {/* The card's own next step ("connect in Settings > Integrations > Xero") is this page: shown only when it explains a state. */}
      {card.message && (card.status === 'needs_reauth' || card.status === 'disconnected') && (
        <p class={card.status === 'needs_reauth' ? 'why' : 'hint'}>{card.status === 'needs_reauth' ? `Why: ${card.message}` : card.message}</p>
      )}
      {card.status === 'connected' && (
        <p class="hint">
          {card.authType === 'custom' ? 'Custom Connection' : 'Connected with Xero sign-in'} since {dateTime(card.connectedAt)}.
        </p>
      )}
      {error && <Notice tone="error" title="Could not connect">{error}</Notice>}
      {card.status === 'awaiting_tenant' ? (
        <TenantPicker api={api} base={base} onPicked={onChange} />
      ) : (
        <div class="actions">
          {card.status === 'connected' ? (
            <a class="button primary" href="#manage">
              Configure
            </a>
          ) : (
            <button type="button" class="button primary" disabled={busy || setup.xeroApp === 'none'} onClick={() => connect('oauth')}>
              {busy ? 'Opening Xero\u2026' : connectLabel}
            </button>
          )}
          {card.status !== 'connected' && customAvailable && (
            <button type="button" class="button secondary" disabled={busy} onClick={() => connect('custom')}>
              Connect with a Custom Connection
            </button>
          )}
        </div>
      )}
      {setup.xeroApp === 'none' && card.status !== 'connected' && (
        <p class="hint">Connect needs a Xero app: see the prerequisites below.</p>
      )}
    </section>
  );
}
