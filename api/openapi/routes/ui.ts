/**
 * The pages (the client admin's Settings > Integrations > Xero and the platform admins' console), their sign-in
 * by single-use link, sign-out and assets; and the two routes the main app asks for those links with.
 */
import { z } from 'zod';
import { clientAdminSignInBody, platformAdminSignInBody } from '../../ui/sign-in-links.ts';
import { ASSETS_PATH, CONSOLE_PAGE, SETTINGS_PAGE, SIGN_IN_PATH, SIGN_OUT_PATH, SIGNED_OUT_PATH } from '../../ui/paths.ts';
import { orgParams } from '../../routes/params.ts';
import type { ResponseDoc, RouteDoc } from '../route-doc.ts';
import { instant } from '../schemas/common.ts';

const html = (description: string): ResponseDoc => ({ description, contentType: 'text/html', schema: { jsonSchema: { type: 'string' } } });
const redirect = (description: string): ResponseDoc => ({ description, headers: { location: { description: 'Where the browser goes next', schema: { type: 'string' } } } });
const page = { tag: 'pages', auth: 'session' as const };
/** A page that needs a session of one role: the page, or a small HTML page saying why not. */
const sessionPage = (role: string): RouteDoc['responses'] => ({
  200: html('The page (its script calls the JSON API with the session)'),
  401: html('Not signed in, or the session has ended: open the page again from the main app'),
  403: html(`The session is not a ${role}'s`),
});

const signInLink = z.object({
  url: z.url().meta({ description: 'Open it in the person\'s browser: it signs them in once, within UI_SIGN_IN_LINK_TTL.' }),
  expiresAt: instant,
});

export const uiRoutes: RouteDoc[] = [
  {
    ...page,
    auth: 'none',
    method: 'get',
    path: SIGN_IN_PATH,
    operationId: 'openSignInLink',
    summary: 'A sign-in link, opened: sets the session cookie and goes to the page',
    query: z.object({ token: z.string().optional().meta({ description: 'The link\'s single-use token' }) }),
    responses: {
      303: redirect('Signed in: on to the page the link was for'),
      400: html('Not a sign-in link (incomplete or altered)'),
      410: html('The link has expired, or was used already'),
    },
  },
  {
    ...page,
    method: 'post',
    path: SIGN_OUT_PATH,
    operationId: 'signOut',
    summary: 'Sign out (the page\'s form, with its CSRF token as `_csrf`)',
    body: { schema: { jsonSchema: { type: 'object', properties: { _csrf: { type: 'string' } } } }, contentType: 'application/x-www-form-urlencoded', required: false },
    responses: { 303: redirect('Signed out: on to the signed-out page'), 403: html('The page was out of date (CSRF token): reload it and sign out again') },
  },
  { ...page, auth: 'none', usesDatabase: false, method: 'get', path: SIGNED_OUT_PATH, operationId: 'signedOutPage', summary: 'Signed out', responses: { 200: html('Says so, and how to come back') } },
  { ...page, method: 'get', path: SETTINGS_PAGE, operationId: 'settingsPage', summary: 'Settings > Integrations > Xero, for a client admin', responses: sessionPage('client admin') },
  { ...page, method: 'get', path: CONSOLE_PAGE, operationId: 'consolePage', summary: "The console: every organisation's sync, for platform admins", responses: sessionPage('platform admin') },
  {
    ...page,
    method: 'get',
    path: `${CONSOLE_PAGE}/:orgId`,
    operationId: 'consoleOrganisationPage',
    summary: "The console, on one organisation",
    params: z.object({ orgId: z.string() }),
    responses: sessionPage('platform admin'),
  },
  {
    ...page,
    auth: 'none',
    usesDatabase: false,
    method: 'get',
    path: `${ASSETS_PATH}/:file`,
    operationId: 'pageAsset',
    summary: "The pages' scripts and stylesheet (built from web/, served by xero-sync itself)",
    params: z.object({ file: z.string() }),
    responses: {
      200: { description: 'JavaScript or CSS', contentType: 'text/javascript', schema: { jsonSchema: { type: 'string' } }, alternatives: { 'text/css': { jsonSchema: { type: 'string' } } } },
    },
    errors: { 404: ['not_found'] },
  },
  {
    method: 'post',
    path: '/api/orgs/:orgId/ui-sessions',
    operationId: 'createClientAdminSignInLink',
    summary: "A sign-in link to this organisation's settings page, for one of its admins",
    description: 'The main app asks with its bearer token (a browser session cannot mint links), for the person it has signed in; `subject` is its id for them.',
    tag: 'pages',
    auth: 'bearer',
    roles: ['service'],
    params: orgParams,
    body: { schema: clientAdminSignInBody },
    responses: { 201: { description: 'The link', schema: signInLink } },
    errors: { 403: ['forbidden'], 404: ['not_found'] },
  },
  {
    method: 'post',
    path: '/api/admin/ui-sessions',
    operationId: 'createPlatformAdminSignInLink',
    summary: 'A sign-in link to the console, for a platform admin',
    tag: 'pages',
    auth: 'bearer',
    roles: ['platform_admin'],
    body: { schema: platformAdminSignInBody },
    responses: { 201: { description: 'The link', schema: signInLink } },
    errors: { 403: ['forbidden'] },
  },
];
