/**
 * Who may call the integration routes, and the plan switch in front of them: another organisation's callers
 * get 404 and change nothing, the main app may read but not change the connection, a plan without
 * integrations answers 403 everywhere and pauses the sync, and no answer ever carries a client secret.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { oauthStates, orgMappings, orgSettings, organisations, xeroConnections } from '../../db/schema/index.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { answersSeen, integrationApi } from '../support/xero-consent.ts';
import { useSettingsHarness } from './settings-harness.ts';

const h = useSettingsHarness();

describe('the plan switch', () => {
  it('answers 403 plan_required on every integration route while off, pauses the sync, and resumes it when on', async () => {
    const { orgId, api } = await h.connectCustom('Planned Books');
    const main = integrationApi(h.stack, orgId, 'service');
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === undefined);

    expect((await api.setPlan(false)).status).toBe(403); // an organisation's admin cannot change its plan
    const off = await main.setPlan(false);
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ orgId, integrations: false });
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === 'plan_required');

    for (const [method, path, body] of integrationRoutes(orgId)) {
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body, `${method} ${path}`).toMatchObject({ code: 'plan_required', detail: expect.stringContaining('plan does not include integrations') });
    }
    expect((await main.call('GET', `/api/orgs/${orgId}/plan`)).body).toEqual({ orgId, integrations: false });

    expect((await main.setPlan(true)).status).toBe(200);
    await eventually(async () => (await h.workflowStatus(orgId)).pausedReason === undefined);
    expect((await api.card()).body).toMatchObject({ status: 'connected' });
  });
});

/** Every integration route, with a body that would change something. */
function integrationRoutes(orgId: string): Array<[string, string, unknown?]> {
  const base = `/api/orgs/${orgId}/integrations/xero`;
  return [
    ['GET', base],
    ['POST', `${base}/connect`, {}],
    ['POST', `${base}/connect`, { type: 'custom' }],
    ['GET', `${base}/tenants`],
    ['POST', `${base}/tenant`, { tenantId: randomUUID() }],
    ['GET', `${base}/settings`],
    ['PUT', `${base}/settings`, { clientId: 'INTRUDER', clientSecret: 'intruder-secret', defaultRevenueAccountCode: '260' }],
    ['GET', `${base}/mappings`],
    ['PUT', `${base}/mappings`, { serviceAccounts: {}, taxTypes: {} }],
    ['POST', `${base}/test`],
    ['POST', `${base}/disconnect`],
  ];
}

describe('who may call what', () => {
  it("answers 404 to another organisation's admin (and service token) on every route, and changes nothing", async () => {
    const { orgId, tenant, api } = await h.connectCustom('Victim Books');
    await api.putMappings({ serviceAccounts: { MEMBERSHIP: '200' }, taxTypes: { GST: 'OUTPUT2' } });
    const db = h.stack.database.db;
    const snapshot = async () => ({
      connection: await db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId)),
      settings: await db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId)),
      mappings: await db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId)),
      organisation: await db.select().from(organisations).where(eq(organisations.id, orgId)),
      states: await db.select().from(oauthStates).where(eq(oauthStates.orgId, orgId)),
    });
    const before = await snapshot();
    const xeroBefore = h.sandbox.control.counters();

    const intruderOrg = newOrgId();
    for (const role of ['client_admin', 'service'] as const) {
      const intruder = integrationApi(h.stack, orgId, role, intruderOrg);
      for (const [method, path, body] of [...integrationRoutes(orgId), ['GET', `/api/orgs/${orgId}/plan`], ['PUT', `/api/orgs/${orgId}/plan`, { integrations: false }]] as Array<[string, string, unknown?]>) {
        const res = await intruder.call(method, path, body);
        expect(res.status, `${role} ${method} ${path}`).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    }

    expect(await snapshot()).toEqual(before);
    const xeroAfter = h.sandbox.control.counters();
    expect(xeroAfter.callsTotal).toBe(xeroBefore.callsTotal);
    expect(xeroAfter.tokens).toEqual(xeroBefore.tokens);
    expect((await api.card()).body).toMatchObject({ status: 'connected', xeroTenantId: tenant.tenantId });
  });

  it('lets the main app read (service token) but only a person change the connection', async () => {
    const { orgId } = await h.connectCustom('Read Only');
    const main = integrationApi(h.stack, orgId, 'service');
    expect((await main.card()).status).toBe(200);
    expect((await main.settings()).status).toBe(200);
    expect((await main.mappings()).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/api/orgs/${orgId}/integrations/xero/connect`, {}],
      ['PUT', `/api/orgs/${orgId}/integrations/xero/settings`, { invoiceStatus: 'DRAFT' }],
      ['PUT', `/api/orgs/${orgId}/integrations/xero/mappings`, { serviceAccounts: {}, taxTypes: {} }],
      ['POST', `/api/orgs/${orgId}/integrations/xero/disconnect`],
    ] as Array<[string, string, unknown?]>) {
      expect((await main.call(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    const admin = integrationApi(h.stack, orgId, 'platform_admin');
    expect((await admin.putSettings({ invoiceStatus: 'DRAFT' })).status).toBe(200);
    expect((await fetch(`${h.stack.apiUrl}/api/orgs/${orgId}/integrations/xero`)).status).toBe(401);
  });
  it('never returns a client secret, in any answer about the connection', async () => {
    const before = answersSeen.length;
    const { orgId, client, api } = await h.connectCustom('Secret Keeper');
    const main = integrationApi(h.stack, orgId, 'service');
    for (const read of [api.card(), api.settings(), api.mappings(), api.test(), main.card(), main.settings()]) expect((await read).status).toBe(200);
    expect((await api.putSettings({ clientSecret: `${client.clientSecret}-rotated` })).status).toBe(200);
    expect((await api.disconnect()).status).toBe(200);
    const answers = answersSeen.slice(before);
    expect(answers.length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((a) => a.includes(client.clientSecret))).toEqual([]);
    expect(answers.some((a) => a.includes('"clientSecretSet":true'))).toBe(true);
  });
});
