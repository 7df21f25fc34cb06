/**
 * The login/consent page: GET /identity/connect/authorize shows the sandbox's organisations; the form
 * POSTs back, and the browser is sent to redirect_uri with `code` and `state` (or `error=access_denied`).
 * The control API offers the same approval without a browser (`authorizeRequest` + `approve`).
 */
import express, { type Router } from 'express';
import type { SandboxStore } from '../store.ts';
import { approve } from './grants.ts';
import type { ClientApp } from './records.ts';
import { parseScopes, unknownScopes } from './scopes.ts';

export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  nonce?: string;
}

/** A request the page cannot redirect back from (unknown app or redirect URI): shown as an error page. */
export class AuthorizePageError extends Error {}

export type CheckedAuthorize =
  | { ok: true; client: ClientApp; redirectUri: string; scopes: string[]; params: AuthorizeParams }
  | { ok: false; redirect: string };

export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function checkAuthorizeRequest(store: SandboxStore, params: AuthorizeParams): CheckedAuthorize {
  const client = params.client_id ? store.clients.get(params.client_id) : undefined;
  if (!client || client.kind !== 'web') throw new AuthorizePageError('unauthorized_client: this app cannot use the authorisation code flow');
  const redirectUri = params.redirect_uri ?? '';
  let valid = false;
  try { valid = ['http:', 'https:'].includes(new URL(redirectUri).protocol); } catch { valid = false; }
  // Xero requires an exact match with a redirect URI registered for the app.
  if (!valid || (client.redirectUris && !client.redirectUris.includes(redirectUri))) throw new AuthorizePageError('Invalid redirect_uri');
  const back = (error: string) => ({ ok: false as const, redirect: withQuery(redirectUri, { error, state: params.state }) });
  if (params.response_type !== 'code') return back('unsupported_response_type');
  const scopes = parseScopes(params.scope);
  if (scopes.length === 0 || unknownScopes(scopes).length > 0) return back('invalid_scope');
  if (params.code_challenge && params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) return back('invalid_request');
  return { ok: true, client, redirectUri, scopes, params };
}

/** Approves and returns where the browser goes next. */
export function approveAndRedirect(store: SandboxStore, checked: Extract<CheckedAuthorize, { ok: true }>, tenantIds: string[], userId?: string): string {
  const { code, authEventId } = approve(store, {
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    scopes: checked.scopes,
    tenantIds,
    userId,
    codeChallenge: checked.params.code_challenge,
    codeChallengeMethod: checked.params.code_challenge_method === 'S256' ? 'S256' : 'plain',
    nonce: checked.params.nonce,
  });
  return withQuery(checked.redirectUri, { code, scope: checked.scopes.join(' '), state: checked.params.state, session_state: authEventId });
}

export function selectableOrganisations(store: SandboxStore, client: ClientApp): Array<{ tenantId: string; name: string }> {
  return [...store.books.values()]
    .filter((b) => !client.tenantIds || client.tenantIds.includes(b.org.OrganisationID))
    .map((b) => ({ tenantId: b.org.OrganisationID, name: b.org.Name }));
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(store: SandboxStore, checked: Extract<CheckedAuthorize, { ok: true }>, message?: string): string {
  const hidden = Object.entries(checked.params)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(String(v))}">`).join('\n');
  const orgs = selectableOrganisations(store, checked.client)
    .map((o) => `<label><input type="checkbox" name="tenantId" value="${escape(o.tenantId)}"> ${escape(o.name)}</label><br>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Xero Sandbox – Allow access</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto">
<h1>Xero Sandbox</h1>
<p><strong>${escape(checked.client.name)}</strong> wants access to: <code>${escape(checked.scopes.join(' '))}</code></p>
${message ? `<p role="alert" style="color:#b00">${escape(message)}</p>` : ''}
<form method="post" action="/identity/connect/authorize">
${hidden}
<fieldset><legend>Organisations</legend>
${orgs || '<p>No organisations exist in the sandbox yet.</p>'}
</fieldset>
<p><label>User <input name="user" value="sandbox-user"></label></p>
<button type="submit" name="decision" value="allow">Allow access</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></body></html>`;
}

export function authorizeRouter(store: SandboxStore): Router {
  const router = express.Router();
  const handle = (params: AuthorizeParams, form: Record<string, unknown> | undefined, send: { html: (status: number, body: string) => void; redirect: (url: string) => void }) => {
    let checked: CheckedAuthorize;
    try {
      checked = checkAuthorizeRequest(store, params);
    } catch (error) {
      if (error instanceof AuthorizePageError) return send.html(400, `<!doctype html><title>Error</title><h1>Error</h1><p>${escape(error.message)}</p>`);
      throw error;
    }
    if (!checked.ok) return send.redirect(checked.redirect);
    if (!form) return send.html(200, page(store, checked));
    if (form['decision'] !== 'allow') return send.redirect(withQuery(checked.redirectUri, { error: 'access_denied', state: params.state }));
    const picked = ([] as unknown[]).concat(form['tenantId'] ?? []).map(String);
    const allowed = new Set(selectableOrganisations(store, checked.client).map((o) => o.tenantId));
    const tenantIds = picked.filter((t) => allowed.has(t));
    if (tenantIds.length === 0 && checked.scopes.some((s) => s.startsWith('accounting.'))) {
      return send.html(200, page(store, checked, 'Choose at least one organisation.'));
    }
    const user = typeof form['user'] === 'string' && form['user'].trim() !== '' ? form['user'].trim() : undefined;
    return send.redirect(approveAndRedirect(store, checked, tenantIds, user));
  };
  router.get('/identity/connect/authorize', (req, res) => {
    handle(req.query as AuthorizeParams, undefined, {
      html: (status, body) => { res.status(status).type('html').send(body); },
      redirect: (url) => res.redirect(302, url),
    });
  });
  router.post('/identity/connect/authorize', express.urlencoded({ extended: false }), (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    handle(form as AuthorizeParams, form, {
      html: (status, body) => { res.status(status).type('html').send(body); },
      redirect: (url) => res.redirect(302, url),
    });
  });
  router.get('/.well-known/openid-configuration', (_req, res) => {
    const base = store.baseUrl;
    res.json({
      issuer: base,
      authorization_endpoint: `${base}/identity/connect/authorize`,
      token_endpoint: `${base}/connect/token`,
      revocation_endpoint: `${base}/connect/revocation`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['plain', 'S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['HS256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    });
  });
  return router;
}
