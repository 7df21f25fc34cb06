import type { Tone } from './notice.tsx';

/** A state in words, with a colour that is never the only signal. */
export function Badge({ tone, children }: { tone: Tone | 'neutral'; children: string }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

/** Every `sync_status` and `sync_activity` word the status routes answer, as a person reads it. */
export const syncStatusView: Record<string, { label: string; tone: Tone | 'neutral' }> = {
  healthy: { label: 'Healthy', tone: 'success' },
  idle: { label: 'Up to date', tone: 'success' },
  syncing: { label: 'Syncing', tone: 'info' },
  waiting_for_rate_limit: { label: "Waiting for Xero's rate limit", tone: 'info' },
  on_hold: { label: 'On hold', tone: 'neutral' },
  degraded: { label: 'Degraded', tone: 'warning' },
  paused: { label: 'Paused', tone: 'warning' },
  needs_reauth: { label: 'Needs re-authorisation', tone: 'error' },
  disconnected: { label: 'Disconnected', tone: 'neutral' },
  not_connected: { label: 'Not connected', tone: 'neutral' },
};

export function SyncStatusBadge({ status }: { status: string }) {
  const view = syncStatusView[status] ?? { label: status, tone: 'neutral' as const };
  return <Badge tone={view.tone}>{view.label}</Badge>;
}
