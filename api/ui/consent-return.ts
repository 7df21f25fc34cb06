/**
 * The end of a Xero consent that the settings page started: the browser comes back from Xero with its
 * session cookie (SameSite=Lax lets a top-level navigation carry it), so instead of the bare callback page
 * the person lands on the settings page again, which shows the outcome once: Connected with the Xero
 * organisation's name, the organisation picker, or what went wrong and what to do.
 */
import type { Request } from 'express';
import type { Db } from '../../db/client.ts';
import { setUiSessionFlash } from '../../db/queries/ui-sessions.ts';
import type { OAuthStateSigner } from '../oauth/state.ts';
import type { ConsentReturn } from '../routes/integrations/xero/callback-page.ts';
import { SETTINGS_PAGE } from './paths.ts';
import type { UiSessions } from './sessions.ts';

/** The organisation the consent's signed state names (undefined when it is expired, forged or missing). */
async function consentOrg(states: OAuthStateSigner, req: Request): Promise<string | undefined> {
  const state = typeof req.query.state === 'string' ? req.query.state : undefined;
  if (!state) return undefined;
  try {
    return (await states.verify(state)).orgId;
  } catch {
    return undefined;
  }
}

export function consentReturnToSettings({ db, sessions, states }: { db: Db; sessions: UiSessions; states: OAuthStateSigner }): ConsentReturn {
  return async (req, res, outcome) => {
    if (req.accepts(['json', 'html']) !== 'html') return false;
    const found = await sessions.fromRequest(req);
    if (!found || !('session' in found) || found.session.role !== 'client_admin') return false;
    const { session } = found;
    // Another organisation's consent finished in this browser is not this page's business.
    const orgId = await consentOrg(states, req);
    if (orgId && orgId !== session.orgId) return false;
    await setUiSessionFlash(db, {
      sessionId: session.id,
      flash: { code: outcome.code, status: outcome.status, title: outcome.title, message: outcome.message },
    });
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.redirect(303, SETTINGS_PAGE);
    return true;
  };
}
