/**
 * How the OAuth callback ends: the admin's browser gets a small HTML page saying what happened and what
 * to do; a client that asks for JSON gets JSON (problem+json for failures, like every other error).
 */
import type { Request, Response } from 'express';

export interface CallbackOutcome {
  status: number;
  /** Stable, for programs: `connected`, `awaiting_tenant`, `consent_denied`, `state_expired`, ... */
  code: string;
  title: string;
  /** What happened and what to do, in the admin's words. */
  message: string;
  /** Extra JSON for successful outcomes (the card, the organisations to pick from). */
  data?: Record<string, unknown>;
}

/**
 * Takes over the end of a consent that a signed-in page started: brings the person back to that page
 * (which then shows the outcome). Answers false when it does not apply, and the page below is shown.
 */
export type ConsentReturn = (req: Request, res: Response, outcome: CallbackOutcome) => Promise<boolean>;

export function answerCallback(req: Request, res: Response, outcome: CallbackOutcome): void {
  // Nothing here may be cached or framed: it ends a login flow.
  res.set({ 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  res.status(outcome.status);
  if (req.accepts(['json', 'html']) === 'html') {
    res.type('html').send(page(outcome));
    return;
  }
  if (outcome.status >= 400) {
    res.type('application/problem+json').json({ type: 'about:blank', title: outcome.title, status: outcome.status, code: outcome.code, detail: outcome.message });
    return;
  }
  res.json({ code: outcome.code, message: outcome.message, ...outcome.data });
}

function page({ status, title, message }: CallbackOutcome): string {
  const tone = status < 400 ? '#1a7f37' : '#b42318';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}h1{font-size:1.4rem;color:${tone}}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>You can close this window.</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
