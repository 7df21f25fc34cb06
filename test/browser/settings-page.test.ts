/**
 * The client admin's Settings > Integrations > Xero in a real browser, as the connect guide walks it:
 * sign in by link, Connect → the sandbox's consent page → back to the page, pick one of two Xero
 * organisations, map a service to an account (a wrong code refused with the API's message), set a
 * setting from the pickers, test the connection, disconnect with its confirmation, sign out.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { integrationApi } from '../support/xero-consent.ts';
import { newOrgId } from '../support/stack.ts';
import { useUiHarness } from './ui-harness.ts';

const h = useUiHarness();

describe('the settings page', () => {
  it('connects through the consent page, picks an organisation, maps a service, and disconnects', async () => {
    const orgId = newOrgId();
    const suffix = randomUUID().slice(0, 6);
    const first = h.sandbox.control.createOrganisation({ name: `Harbour Rowing ${suffix}` });
    const second = h.sandbox.control.createOrganisation({ name: `Lakeside Tennis ${suffix}` });
    const api = integrationApi(h.stack, orgId);
    const page = await h.browser.page();

    // Sign in by link: a session cookie, then the page.
    const link = await h.signInLink({ role: 'client_admin', orgId });
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe('/settings/integrations/xero');
    const cookie = (await h.browser.context.cookies(h.stack.apiUrl)).find((c) => c.name === 'xero-sync-session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    const card = page.locator('#card');
    await card.getByText('Not connected', { exact: true }).waitFor();
    await page.locator('#prerequisites').getByText('To do').first().waitFor();
    expect(await page.getByLabel(/^Redirect URI/).inputValue()).toBe(`${h.stack.apiUrl}/auth/callback/xero`);
    expect(await page.locator('#prerequisites table.env').textContent()).toMatch(/XERO_CLIENT_SECRET\s*set/);
    expect(await page.content()).not.toContain(h.webApp.clientSecret);
    await h.expectAccessible(page, 'the settings page, not connected');

    // Connect: Xero's (the sandbox's) consent page, two organisations ticked, back to the page to pick one.
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(`${h.sandbox.loginUrl}/identity/connect/authorize`));
    await page.getByLabel(first.name).check();
    await page.getByLabel(second.name).check();
    await page.getByRole('button', { name: 'Allow access' }).click();
    await page.waitForURL(`${h.stack.apiUrl}/settings/integrations/xero`);
    await card.getByText('Your consent covers several Xero organisations').waitFor();
    await card.getByRole('group', { name: 'Which Xero organisation should this organisation sync with?' }).waitFor();
    await h.expectAccessible(page, 'the organisation picker');
    await card.getByLabel(second.name).check();
    await card.getByRole('button', { name: 'Use this organisation' }).click();
    await card.getByText('Connected', { exact: true }).waitFor();
    expect(await card.locator('.org-name').textContent()).toContain(second.name);
    expect((await api.card()).body).toMatchObject({ status: 'connected', xeroTenantId: second.tenantId });

    // A mapping: a code Xero does not have is refused with the API's message beside it; a real one is saved.
    const services = page.locator('form.mapping').first();
    await services.getByRole('button', { name: 'Add a row' }).click();
    await services.getByLabel('Platform service code, row 1').fill('MEMBERSHIP');
    const accountField = services.getByLabel('Xero account code for MEMBERSHIP');
    await accountField.fill('9999');
    await services.getByRole('button', { name: /^Save service/ }).click();
    await services.getByText("Account code '9999' is not an active account that invoice lines can use").waitFor();
    expect(await accountField.getAttribute('aria-invalid')).toBe('true');
    await h.expectAccessible(page, 'a refused mapping');
    // The picker offers the Xero organisation's own accounts.
    expect(await page.locator('#line-accounts option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toContain('200');
    await accountField.fill('200');
    await services.getByRole('button', { name: /^Save service/ }).click();
    await services.getByText('Saved.').waitFor();
    expect((await api.mappings()).body).toEqual({ serviceAccounts: { MEMBERSHIP: '200' }, taxTypes: {}, trackingCategories: {}, serviceItems: {} });

    // Settings: only what was changed is sent, so the rest keeps following the deployment defaults.
    const form = page.locator('form.settings');
    await form.getByLabel('Invoice status in Xero').selectOption('SUBMITTED');
    await form.getByLabel('Bank account for receipts').fill('090');
    await form.getByLabel('Deferred revenue account').fill('835');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved, and checked against your Xero organisation.').waitFor();
    expect((await api.settings()).body).toMatchObject({ invoiceStatus: 'SUBMITTED', bankAccountCode: '090', deferredRevenueAccountCode: '835', defaultRevenueAccountCode: null, amountType: null, autoSyncInvoices: null });
    // With a deferred revenue account, the health section shows what is earned and what is not yet (no
    // currency shown before Xero's base currency has been read).
    const revenue = page.locator('#revenue-recognition');
    await revenue.getByText('Unearned').waitFor();
    expect(await revenue.locator('dd').allTextContents()).toEqual(['0.00', '0.00', '0.00', 'none yet']);

    // Test connection: each check with its result.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#test').getByText('The connection works').waitFor();
    expect(await page.locator('#test ul.checks').textContent()).toContain(`Connected to the Xero organisation '${second.name}'`);

    // Disconnect: a confirmation saying what stops and what stays, then the card says so.
    await page.getByRole('button', { name: 'Disconnect Xero…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect Xero?' });
    await dialog.getByText('What stays:').waitFor();
    await h.expectAccessible(page, 'the disconnect confirmation');
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await card.getByText('Disconnected', { exact: true }).waitFor();
    expect((await api.card()).body.status).toBe('disconnected');
    await h.expectAccessible(page, 'the settings page, disconnected');

    // Sign out ends the session; the link worked once only.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${h.stack.apiUrl}/ui/signed-out`);
    await page.goto(`${h.stack.apiUrl}/settings/integrations/xero`);
    expect(await page.locator('h1').textContent()).toBe('Please sign in');
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('This sign-in link was already used');
    await h.expectAccessible(page, 'a spent sign-in link');
  });
});
