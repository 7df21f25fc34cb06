/**
 * "New clients can be auto-created in Xero, or matched by email / name to existing contacts": the rule is
 * each organisation's own setting, `contactMatching` (`create_only`, `email`, `email_then_name`; `null`: the
 * deployment's XERO_CONTACT_MATCH). A contact carrying our id as ContactNumber is ours under every rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

type Sync = { state: string; xeroId: string | null; lastError: string | null };

async function settled(api: ReturnType<typeof apiClient>, id: string): Promise<Sync> {
  return eventually(async () => {
    const sync = (await api.get('contacts', id)).body.sync as Sync | null;
    return sync && sync.state !== 'pending' ? sync : undefined;
  });
}

/**
 * An organisation whose Xero already holds three contacts made by hand: one with our id as ContactNumber,
 * one with a member's email (another name), one with a member's exact name (no email).
 */
async function booksWithHandMadeContacts(contactMatching: string | null) {
  const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
  if (contactMatching !== null) {
    const put = await integrationApi(stack, orgId).putSettings({ contactMatching });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ contactMatching });
  }
  const create = (contact: Record<string, string>) => (sandbox.control.createContact(tenantId, contact) as { ContactID: string }).ContactID;
  const inXero = {
    byNumber: create({ Name: 'E. Noether', ContactNumber: 'noether' }),
    byEmail: create({ Name: 'G. Hopper', EmailAddress: 'grace@example.org' }),
    byName: create({ Name: 'Katherine Johnson' }),
  };
  const api = apiClient(stack, orgId);
  await api.putContacts([
    { id: 'noether', name: 'Emmy Noether', email: 'emmy@example.org' },
    { id: 'grace', name: 'Grace Hopper', email: 'GRACE@example.org' },
    { id: 'kj', name: 'Katherine Johnson', email: 'kj@example.org' },
  ]);
  const [noether, grace, kj] = [await settled(api, 'noether'), await settled(api, 'grace'), await settled(api, 'kj')];
  return { tenantId, inXero, noether, grace, kj, contacts: () => sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>> };
}

const DUPLICATE_NAME = 'The contact name Katherine Johnson is already assigned to another contact. The contact name must be unique across all active contacts.';

describe('contactMatching', () => {
  it('create_only: adopts only what carries our id, creates the rest (a same-named one cannot be created)', async () => {
    const b = await booksWithHandMadeContacts('create_only');
    expect(b.noether).toMatchObject({ state: 'synced', xeroId: b.inXero.byNumber });
    expect(b.grace.state).toBe('synced');
    expect(b.grace.xeroId).not.toBe(b.inXero.byEmail); // created anew beside the hand-made one
    expect(b.kj).toMatchObject({ state: 'failed', xeroId: null, lastError: DUPLICATE_NAME });
    expect(b.contacts()).toHaveLength(4);
  });

  it('email: adopts by ContactNumber, then by email (in any case); never by name', async () => {
    const b = await booksWithHandMadeContacts('email');
    expect(b.noether).toMatchObject({ state: 'synced', xeroId: b.inXero.byNumber });
    expect(b.grace).toMatchObject({ state: 'synced', xeroId: b.inXero.byEmail });
    expect(b.kj).toMatchObject({ state: 'failed', xeroId: null, lastError: DUPLICATE_NAME });
    expect(b.contacts()).toHaveLength(3);
  });

  it('email_then_name: adopts by ContactNumber, email, then exact name', async () => {
    const b = await booksWithHandMadeContacts('email_then_name');
    expect(b.noether).toMatchObject({ state: 'synced', xeroId: b.inXero.byNumber });
    expect(b.grace).toMatchObject({ state: 'synced', xeroId: b.inXero.byEmail });
    expect(b.kj).toMatchObject({ state: 'synced', xeroId: b.inXero.byName });
    expect(b.contacts()).toHaveLength(3);
    // Adopted contacts now carry our id, so they are found by ContactNumber from now on.
    expect(b.contacts().map((c) => c.ContactNumber).sort()).toEqual(['grace', 'kj', 'noether']);
  });

  it("null: the deployment's XERO_CONTACT_MATCH (here its default, contact_number,email,name), also after a setting is cleared", async () => {
    const b = await booksWithHandMadeContacts(null);
    expect(b.kj).toMatchObject({ state: 'synced', xeroId: b.inXero.byName });

    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const admin = integrationApi(stack, orgId);
    await admin.putSettings({ contactMatching: 'create_only' });
    const cleared = await admin.putSettings({ contactMatching: null });
    expect(cleared.body).toMatchObject({ contactMatching: null, effective: { contactMatchOrder: ['contact_number', 'email', 'name'] } });
  });

  it('refuses a value it does not know, naming the three it does', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const put = await integrationApi(stack, orgId).putSettings({ contactMatching: 'by_name' });
    expect(put.status).toBe(422);
    expect(put.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.contactMatching', message: 'expected one of create_only, email, email_then_name' }] });
  });

  it('does not adopt a same-named contact that is already ours, even when matching by name is on', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { settings: { contactMatching: 'email_then_name' } });
    const api = apiClient(stack, orgId);
    await api.putContact('a', { name: 'Same Name', email: 'a@example.org' });
    expect((await settled(api, 'a')).state).toBe('synced');
    // A second member with the same name and another email: adopting would merge two people.
    await api.putContact('b', { name: 'Same Name', email: 'b@example.org' });
    expect(await settled(api, 'b')).toMatchObject({ state: 'failed', lastError: expect.stringContaining('is already assigned to another contact') });
    expect(sandbox.control.records(tenantId).contacts).toHaveLength(1);
  });
});
