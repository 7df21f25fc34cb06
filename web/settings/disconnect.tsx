/** Disconnect, at the bottom, behind a confirmation that says what stops and what stays. */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { IntegrationCard, RemovalAtXero } from '../lib/types.ts';
import { ConfirmDialog } from '../components/confirm.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';

export function Disconnect({ api, base, card, onChange }: { api: Api; base: string; card: IntegrationCard; onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | undefined>();
  if (card.status === 'not_connected') return null;

  const disconnect = async () => {
    setBusy(true);
    try {
      const answer = await api.send<IntegrationCard & { xero: RemovalAtXero }>('POST', `${base}/disconnect`);
      setOutcome({ tone: 'success', text: answer.xero.message });
      setOpen(false);
      onChange();
    } catch (err) {
      setOutcome({ tone: 'error', text: err instanceof ApiError ? err.message : String(err) });
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section id="disconnect" title="Disconnect">
      {outcome && <Notice tone={outcome.tone}>{outcome.text}</Notice>}
      {card.status === 'disconnected' ? (
        <p>Disconnected. Connect again from the Xero card at the top to resume where the sync stopped.</p>
      ) : (
        <button type="button" class="button danger" onClick={() => setOpen(true)}>
          Disconnect Xero…
        </button>
      )}
      <ConfirmDialog open={open} title="Disconnect Xero?" confirmLabel="Disconnect" danger busy={busy} onConfirm={disconnect} onCancel={() => setOpen(false)}>
        <p>
          <strong>What stops:</strong> new data no longer flows in either direction. Members, invoices, receipts and expenses are no longer sent to Xero, payments made in Xero no longer come back, and the scheduled reconciliation stops. The app is removed from {card.xeroOrganisationName ?? 'the Xero organisation'} at Xero.
        </p>
        <p>
          <strong>What stays:</strong> everything already in Xero stays there, and every record stays here with its sync state. Reconnect any time to resume: nothing already synced is sent twice.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
