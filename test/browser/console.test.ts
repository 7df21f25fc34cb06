/**
 * The platform admin's console in a real browser: find the organisation that needs attention, open it,
 * retry the invoice Xero refused (after its mapping was fixed), and resync 2,000 contacts, watching the
 * progress bar move to done without reloading.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';
import { integrationApi } from '../support/xero-consent.ts';
import { useUiHarness } from './ui-harness.ts';

const h = useUiHarness();
const N = 2_000;

interface Status {
  pending_syncs: number;
  failed_syncs: number;
  records_by_type: Record<string, Record<string, number>>;
}

describe('the console', () => {
  it('finds the organisation needing attention, retries its failed invoice, and resyncs 2,000 contacts to done', async () => {
    const name = `Northshore Sailing ${randomUUID().slice(0, 6)}`;
    // Mapped to 280, an account archived in Xero since: its invoice fails with Xero's message.
    const { orgId } = await connectSandboxOrg(h.stack, h.sandbox, { organisation: { name }, serviceAccounts: { OLD: '280' } });
    const main = apiClient(h.stack, orgId);
    for (let start = 0; start < N; start += 1_000) {
      const members = Array.from({ length: 1_000 }, (_, i) => ({ id: `m${start + i}`, name: `Member ${start + i}`, email: `m${start + i}@example.org` }));
      expect((await main.putContacts(members)).status).toBe(200);
    }
    const invoice = { contactId: 'm0', number: 'NS-1', date: '2026-11-01', dueDate: '2026-11-30', lines: [{ description: 'Boat storage', quantity: 1, unitAmount: '80.00', serviceCode: 'OLD' }] };
    expect((await main.putInvoice('bad', invoice)).status).toBe(200);
    const adminStatus = async () => {
      const token = await h.stack.token('platform_admin');
      return (await (await fetch(`${h.stack.apiUrl}/api/admin/integrations/xero/${orgId}/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as Status;
    };
    await eventually(async () => {
      const s = await adminStatus();
      return s.pending_syncs === 0 && s.failed_syncs === 1 && s.records_by_type.contact!.synced === N;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    // The organisation's admin fixes the mapping (the settings page test does this in the browser).
    expect((await integrationApi(h.stack, orgId).putMappings({ serviceAccounts: { OLD: '200' }, taxTypes: {} })).status).toBe(200);

    // The console: the organisation is found by its Xero organisation's name, marked as needing attention.
    const page = await h.browser.page();
    await page.goto(await h.signInLink({ role: 'platform_admin' }));
    expect(new URL(page.url()).pathname).toBe('/admin/integrations/xero');
    await page.getByLabel('Search').fill(name);
    const row = page.locator('table.organisations tbody tr', { hasText: name });
    await row.getByText('Needs attention').waitFor();
    expect(await row.locator('td.bad').textContent()).toBe('1');
    await h.expectAccessible(page, 'the console');
    await row.getByRole('link', { name: orgId }).click();
    await page.waitForURL(`${h.stack.apiUrl}/admin/integrations/xero/${orgId}`);

    // One organisation: the failed invoice with Xero's own message; Retry sends it again.
    const problems = page.locator('#problems');
    // In the failures table (the sync log below it repeats the message once it has loaded).
    await problems.locator('table.failures').getByRole('cell', { name: "Account code '280' is not a valid code for this document.", exact: true }).waitFor();
    await h.expectAccessible(page, "the console's organisation page");
    await problems.getByRole('button', { name: 'Retry invoice bad' }).click();
    await problems.getByText('1 record queued again').waitFor();
    await problems.getByText('No failed records.').waitFor({ timeout: 20_000 });
    await eventually(async () => ((await main.get('invoices', 'bad')).body as { sync: { state: string } }).sync.state === 'synced');

    // Resync 2,000 contacts: counts and time shown before confirming, then the bar moves to done.
    const resync = page.locator('#resync');
    for (const type of ['Invoices', 'Payments', 'Expenses']) await resync.getByLabel(type).uncheck();
    await resync.getByRole('button', { name: 'Review resync…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start this resync?' });
    await dialog.getByText('2,000 records will be sent to Xero again').waitFor();
    expect(await dialog.textContent()).toMatch(/Contacts: 2,000/);
    expect(await dialog.textContent()).toMatch(/about \d+ s at Xero's pace/);
    await h.expectAccessible(page, 'the resync confirmation');
    // Each Xero call answered a second late: the run spans several of the page's polls (a second apart while
    // it runs), so the bar is seen between 0 and 100; at the sandbox's full speed its 40 calls can fall between two.
    h.sandbox.control.setFaults({ latencyMs: 1_000 });
    await dialog.getByRole('button', { name: 'Resync 2,000 records' }).click();

    const bar = page.getByRole('progressbar', { name: 'Resync of Contacts' });
    await bar.waitFor();
    const seen = new Set<number>();
    await eventually(async () => {
      const value = Number(await bar.getAttribute('aria-valuenow'));
      seen.add(value);
      return value === 100;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    h.sandbox.control.setFaults({ latencyMs: 0 });
    expect([...seen].some((v) => v > 0 && v < 100), `values seen: ${[...seen].join(', ')}`).toBe(true);
    await page.locator('#health').getByText('2,000 of 2,000 (100%): done.').waitFor();
    await h.expectAccessible(page, 'the console after the resync');

    // The way into Temporal, and the status endpoint's whole answer.
    const temporal = await page.getByRole('link', { name: 'Open its workflows in the Temporal Web UI' }).getAttribute('href');
    expect(decodeURIComponent(temporal!)).toContain(`WorkflowId = "xero-org:${orgId}"`);
    await page.locator('#status-json summary').click();
    expect(JSON.parse((await page.locator('#status-json pre').textContent())!)).toMatchObject({ organization_id: orgId, failed_syncs: 0 });
  }, 120_000);
});
