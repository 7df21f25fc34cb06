import type { ComponentChildren } from 'preact';
import { ApiError, isMissingRoute } from '../lib/api.ts';

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A message box; errors and successes are announced to screen readers as they appear. */
export function Notice({ tone = 'info', title, children }: { tone?: Tone; title?: string; children?: ComponentChildren }) {
  return (
    <div class={`notice ${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong class="notice-title">{title}</strong>}
      {children && <div>{children}</div>}
    </div>
  );
}

/** What went wrong, in the API's own words; a section this deployment lacks says so plainly. */
export function ErrorNotice({ error, what }: { error: unknown; what: string }) {
  if (isMissingRoute(error)) return <Notice tone="info" title={`${what}: not available`}>This deployment does not offer it yet.</Notice>;
  const message = error instanceof ApiError ? error.message : String(error);
  return <Notice tone="error" title={`${what}: could not be loaded`}>{message}</Notice>;
}
