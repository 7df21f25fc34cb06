/**
 * The control API: what tests, benchmarks and the demo use to set the scene and look behind it.
 * `SandboxControl` is the in-process form; `controlRouter` serves the same operations under /_sandbox.
 */
import express, { type ErrorRequestHandler, type Router } from 'express';
import { randomBytes } from 'node:crypto';
import { renderContact, saveContact } from './accounting/contacts.ts';
import { renderBrandingTheme } from './accounting/branding-themes.ts';
import { checkContactLimit } from './accounting/contact-limit.ts';
import { booksContext, touch, type BooksContext } from './accounting/context.ts';
import { checkRates } from './accounting/currency-rates.ts';
import { buildItem, itemByCode, renderItem, type ItemSeed } from './accounting/items.ts';
import { XeroHttpError } from './accounting/errors.ts';
import type { Json } from './accounting/fields.ts';
import { renderCreditNote, saveCreditNote } from './accounting/credit-notes.ts';
import { renderInvoice } from './accounting/invoice-render.ts';
import { renderManualJournal } from './accounting/manual-journals.ts';
import { saveInvoice } from './accounting/invoices.ts';
import { renderPayment } from './accounting/payment-render.ts';
import { deletePayment, makePayment } from './accounting/payments.ts';
import { renderAccount } from './accounting/reference-data.ts';
import { buildTrackingCategory, checkTrackingCategories, renderTrackingCategory, type TrackingCategorySeed } from './accounting/tracking.ts';
import { approveAndRedirect, checkAuthorizeRequest, AuthorizePageError } from './identity/authorize.ts';
import type { ClientApp } from './identity/records.ts';
import type { IdempotencyCache } from './idempotency.ts';
import { duplicatesIn, recordCounts } from './inspection.ts';
import { intentToReceive, type IntentResult } from './intent-to-receive.ts';
import type { RateLimiter } from './limits.ts';
import { seededRandom } from './faults.ts';
import { resolveFaults, resolveLimits, type ClientSettings, type FaultSettings, type LimitSettings } from './options.ts';
import { createOrganisation, type OrganisationInput } from './organisations.ts';
import type { StormSettings, StormStatus } from './rate-limit-storm.ts';
import type { SandboxStore } from './store.ts';
import type { Delivery, WebhookDispatcher } from './webhooks.ts';
import type { ChangeSink } from './events.ts';
import type { RequestValidationMode, SpecViolation, SpecViolationLog } from './spec-violations.ts';

/** A control request that cannot be done; served as `{error}` with its status. */
export class ControlError extends Error {
  constructor(readonly status: number, message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface Runtime {
  store: SandboxStore;
  limiter: RateLimiter;
  idempotency: IdempotencyCache;
  webhooks: WebhookDispatcher;
  announce: ChangeSink;
  specViolations: SpecViolationLog;
}

export interface AuthorizeInput {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  tenantIds: string[];
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  userId?: string;
}

export interface PayInput {
  /** Defaults to the whole amount due. */
  amount?: number;
  /** Bank account code; defaults to the organisation's first active bank account. */
  accountCode?: string;
  date?: string;
  reference?: string;
}

export class SandboxControl {
  constructor(private readonly rt: Runtime) {}

  #books(tenantId: string): BooksContext {
    const books = this.rt.store.books.get(String(tenantId).toLowerCase());
    if (!books) throw new ControlError(404, `unknown organisation ${tenantId}`);
    return booksContext(this.rt.store, books, this.rt.announce);
  }

  /** Forgets all organisations, tokens, connections, counters, idempotency keys and deliveries. Clients stay registered. */
  reset(): void {
    this.rt.store.resetData();
    this.rt.limiter.reset();
    this.rt.idempotency.reset();
    this.rt.webhooks.reset();
  }

  createOrganisation(input: OrganisationInput) {
    try {
      const books = createOrganisation(this.rt.store, input);
      return this.organisation(books.org.OrganisationID);
    } catch (error) {
      throw new ControlError(400, error instanceof Error ? error.message : String(error));
    }
  }

  organisation(tenantId: string) {
    const { books } = this.#books(tenantId);
    return {
      tenantId: books.org.OrganisationID,
      name: books.org.Name,
      countryCode: books.org.CountryCode,
      baseCurrency: books.org.BaseCurrency,
      currencies: books.org.currencies,
      currencyRates: { ...books.org.currencyRates },
      timezone: books.org.Timezone,
      organisationType: books.org.OrganisationType,
      isDemoCompany: books.org.IsDemoCompany,
      contactLimit: books.org.contactLimit ?? null,
      accounts: books.accounts.map(renderAccount),
      taxTypes: books.taxRates.map((t) => ({ TaxType: t.TaxType, Name: t.Name, Rate: t.Rate, Status: t.Status })),
      trackingCategories: books.trackingCategories.map((c) => renderTrackingCategory(c, true)),
      brandingThemes: books.brandingThemes.map(renderBrandingTheme),
      items: books.items.map((i) => renderItem(i, 4)),
    };
  }

  /**
   * Creates a tracking category, or reshapes the one with that name (as a bookkeeper would in Xero): options keep
   * their ids by name, options left out become DELETED. Xero's rule of at most two ACTIVE categories holds.
   */
  setTrackingCategory(tenantId: string, seed: TrackingCategorySeed) {
    const { books } = this.#books(tenantId);
    const existing = books.trackingCategories.find((c) => c.Status !== 'DELETED' && c.Name.toLowerCase() === String(seed?.Name ?? '').toLowerCase());
    const category = this.#valid(() => buildTrackingCategory(seed, existing));
    const next = existing ? books.trackingCategories.map((c) => (c === existing ? category : c)) : [...books.trackingCategories, category];
    this.#valid(() => checkTrackingCategories(next));
    books.trackingCategories = next;
    return renderTrackingCategory(category, true);
  }

  /** Creates an item, or replaces the one with that Code (keeping its ItemID), as a bookkeeper would in Xero. */
  setItem(tenantId: string, seed: ItemSeed) {
    const ctx = this.#books(tenantId);
    const existing = typeof seed?.Code === 'string' ? itemByCode(ctx.books, seed.Code) : undefined;
    const item = this.#valid(() => buildItem(seed, ctx.now(), existing));
    if (existing) item.updatedAt = Math.max(item.updatedAt, existing.updatedAt + 1);
    ctx.books.items = existing ? ctx.books.items.map((i) => (i === existing ? item : i)) : [...ctx.books.items, item];
    return renderItem(item, 4);
  }

  /** Sets CurrencyRate per currency (units of it per unit of base currency) for documents that omit one; returns the table. */
  setCurrencyRates(tenantId: string, rates: Record<string, number>): Record<string, number> {
    const { books } = this.#books(tenantId);
    const checked = this.#valid(() => checkRates(rates));
    for (const code of Object.keys(checked)) {
      if (!books.org.currencies.includes(code) || code === books.org.BaseCurrency) throw new ControlError(400, `${code} is not an enabled foreign currency of this organisation`);
    }
    Object.assign(books.org.currencyRates, checked);
    return { ...books.org.currencyRates };
  }

  listOrganisations() {
    return [...this.rt.store.books.values()].map((b) => ({ tenantId: b.org.OrganisationID, name: b.org.Name }));
  }

  registerClient(input: Partial<ClientSettings> & { kind: 'web' | 'custom' }): ClientApp {
    if (input.kind !== 'web' && input.kind !== 'custom') throw new ControlError(400, "kind must be 'web' or 'custom'");
    if (input.kind === 'custom' && (input.tenantIds?.length ?? 0) !== 1) throw new ControlError(400, 'a custom connection is bound to exactly one organisation (tenantIds: [id])');
    const client: ClientApp = {
      clientId: input.clientId ?? randomBytes(16).toString('hex').toUpperCase(),
      clientSecret: input.clientSecret ?? randomBytes(24).toString('base64url'),
      kind: input.kind,
      name: input.name ?? (input.kind === 'custom' ? 'Custom connection' : 'Sandbox app'),
      tenantIds: input.tenantIds?.map((t) => t.toLowerCase()),
      redirectUris: input.redirectUris,
      scopes: input.scopes,
    };
    this.rt.store.clients.set(client.clientId, client);
    if (client.clientSecret) this.rt.store.onSecretIssued?.('client_secret', client.clientSecret);
    return client;
  }

  listClients(): ClientApp[] {
    return [...this.rt.store.clients.values()];
  }

  /** Approves a consent without the page; returns the redirect URL carrying the code. */
  authorize(input: AuthorizeInput): { redirectUrl: string; code?: string; state?: string } {
    let checked;
    try {
      checked = checkAuthorizeRequest(this.rt.store, {
        response_type: 'code', client_id: input.clientId, redirect_uri: input.redirectUri, scope: input.scope, state: input.state,
        code_challenge: input.codeChallenge, code_challenge_method: input.codeChallengeMethod, nonce: input.nonce,
      });
    } catch (error) {
      if (error instanceof AuthorizePageError) throw new ControlError(400, error.message);
      throw error;
    }
    if (!checked.ok) return { redirectUrl: checked.redirect };
    const tenantIds = (input.tenantIds ?? []).map((t) => t.toLowerCase());
    for (const t of tenantIds) {
      if (!this.rt.store.books.has(t)) throw new ControlError(404, `unknown organisation ${t}`);
      if (checked.client.tenantIds && !checked.client.tenantIds.includes(t)) throw new ControlError(400, `client may not connect to ${t}`);
    }
    const redirectUrl = approveAndRedirect(this.rt.store, checked, tenantIds, input.userId);
    const url = new URL(redirectUrl);
    return { redirectUrl, code: url.searchParams.get('code') ?? undefined, state: url.searchParams.get('state') ?? undefined };
  }

  #check(result: { element: Record<string, unknown>; errors: string[] }) {
    if (result.errors.length > 0) throw new ControlError(400, result.errors.join(' '), { ValidationErrors: result.errors.map((Message) => ({ Message })) });
    return result.element;
  }

  /** Creates a contact "in Xero" (as a bookkeeper would), under Xero's rules; webhooks fire. */
  createContact(tenantId: string, contact: Json) {
    return this.#check(saveContact(this.#books(tenantId), contact, 'create'));
  }

  /** Changes a contact "in Xero": name, email, ContactStatus ARCHIVED/ACTIVE, any writable field. */
  updateContact(tenantId: string, contactId: string, changes: Json) {
    const ctx = this.#books(tenantId);
    if (!ctx.books.contacts.has(contactId.toLowerCase())) throw new ControlError(404, `unknown contact ${contactId}`);
    return this.#check(saveContact(ctx, changes, { updateId: contactId }));
  }

  createInvoice(tenantId: string, invoice: Json) {
    return this.#check(saveInvoice(this.#books(tenantId), invoice, 'create', { unitDp: 2 }));
  }

  updateInvoice(tenantId: string, invoiceId: string, changes: Json) {
    const ctx = this.#books(tenantId);
    if (!ctx.books.invoices.has(invoiceId.toLowerCase())) throw new ControlError(404, `unknown invoice ${invoiceId}`);
    return this.#check(saveInvoice(ctx, changes, { updateId: invoiceId }, { unitDp: 2 }));
  }

  /** Creates a credit note "in Xero" (as a bookkeeper would), under Xero's rules; a CREDITNOTE webhook fires. */
  createCreditNote(tenantId: string, creditNote: Json) {
    return this.#check(saveCreditNote(this.#books(tenantId), creditNote, 'create', 2));
  }

  /** Pays (or part-pays) an invoice "in Xero"; returns the payment. */
  payInvoice(tenantId: string, invoiceId: string, pay: PayInput = {}) {
    const ctx = this.#books(tenantId);
    const invoice = ctx.books.invoices.get(invoiceId.toLowerCase());
    if (!invoice) throw new ControlError(404, `unknown invoice ${invoiceId}`);
    const bank = pay.accountCode ?? ctx.books.accounts.find((a) => a.Type === 'BANK' && a.Status === 'ACTIVE')?.Code;
    return this.#check(makePayment(ctx, {
      Invoice: { InvoiceID: invoice.InvoiceID },
      Account: { Code: bank },
      Amount: pay.amount ?? invoice.AmountDue,
      Date: pay.date ?? new Date(ctx.now()).toISOString().slice(0, 10),
      Reference: pay.reference,
    }));
  }

  /** Sets (or, with null, lifts) the organisation's cap on active contacts (accounting/contact-limit.ts). */
  setContactLimit(tenantId: string, limit: number | null): { contactLimit: number | null } {
    const { books } = this.#books(tenantId);
    books.org.contactLimit = this.#valid(() => checkContactLimit(limit));
    return { contactLimit: books.org.contactLimit ?? null };
  }

  /** Marks a payment reconciled with a bank statement line "in Xero" (or not): Xero then refuses to delete it. */
  reconcilePayment(tenantId: string, paymentId: string, reconciled = true) {
    const ctx = this.#books(tenantId);
    const payment = ctx.books.payments.get(paymentId.toLowerCase());
    if (!payment) throw new ControlError(404, `unknown payment ${paymentId}`);
    payment.IsReconciled = reconciled;
    payment.updatedAt = touch(ctx, payment.updatedAt);
    return renderPayment(ctx.books, payment);
  }

  deletePayment(tenantId: string, paymentId: string) {
    const ctx = this.#books(tenantId);
    const payment = ctx.books.payments.get(paymentId.toLowerCase());
    if (!payment) throw new ControlError(404, `unknown payment ${paymentId}`);
    return this.#check(deletePayment(ctx, payment));
  }

  /** Everything one organisation holds, as the API would show it. */
  records(tenantId: string) {
    const { books } = this.#books(tenantId);
    return {
      contacts: [...books.contacts.values()].map((c) => renderContact(books, c)),
      invoices: [...books.invoices.values()].map((i) => renderInvoice(books, i, true)),
      payments: [...books.payments.values()].map((p) => renderPayment(books, p)),
      creditNotes: [...books.creditNotes.values()].map((c) => renderCreditNote(books, c, true)),
      manualJournals: [...books.manualJournals.values()].map((m) => renderManualJournal(books, m)),
    };
  }

  get limits(): LimitSettings { return { ...this.rt.store.limits }; }
  setLimits(patch: Partial<LimitSettings>): LimitSettings {
    this.rt.store.limits = this.#valid(() => resolveLimits(this.rt.store.limits, patch));
    return this.limits;
  }

  get faults(): FaultSettings { return { ...this.rt.store.faults }; }
  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    this.rt.store.faults = this.#valid(() => resolveFaults(this.rt.store.faults, patch));
    if (patch.seed !== undefined) this.rt.store.faultRandom = seededRandom(patch.seed);
    return this.faults;
  }

  /**
   * Every Accounting call (of `tenantId`, if given) gets a 429 for this many Xero seconds: from now, or, with
   * `afterCalls`, from the call that follows that many more calls (so the storm is sure to meet one).
   */
  rateLimitStorm(settings: number | StormSettings): StormStatus {
    const { seconds, afterCalls, ...rest } = typeof settings === 'number' ? { seconds: settings } : settings;
    const tenantId = rest.tenantId?.toLowerCase();
    if (!(typeof seconds === 'number' && seconds >= 0)) throw new ControlError(400, 'seconds must be a number >= 0');
    if (afterCalls !== undefined && !(Number.isInteger(afterCalls) && afterCalls >= 0)) throw new ControlError(400, 'afterCalls must be a whole number >= 0');
    if (tenantId !== undefined && !this.rt.store.books.has(tenantId)) throw new ControlError(404, `unknown organisation ${tenantId}`);
    return this.rt.store.storm.start({ seconds, tenantId, afterCalls });
  }

  /** The last storm: armed (calls to go), raging or over, the 429s it served and the calls retried early. */
  get rateLimitStormStatus(): StormStatus { return this.rt.store.storm.status(); }

  get timeScale(): number { return this.rt.store.clock.timeScale; }
  setTimeScale(timeScale: number): number {
    this.#valid(() => { this.rt.store.clock.timeScale = timeScale; });
    return this.timeScale;
  }

  /** Moves the sandbox clock forward (token expiry, grace periods, rate windows, idempotency window). */
  advanceClock(ms: number): { now: number } {
    this.#valid(() => this.rt.store.clock.advance(ms));
    return { now: this.rt.store.clock.now() };
  }

  get webhook() {
    const { url, key, enabled } = this.rt.webhooks.config;
    return { url, key, enabled };
  }
  setWebhook(patch: { url?: string; key?: string; enabled?: boolean }) {
    const config = this.rt.webhooks.config;
    if (patch.url !== undefined) config.url = patch.url;
    if (patch.key !== undefined) config.key = patch.key;
    if (patch.enabled !== undefined) config.enabled = patch.enabled;
    return this.webhook;
  }

  webhookDeliveries(): Delivery[] {
    return this.rt.webhooks.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  /** Sends queued events now and waits for the attempts under way. */
  flushWebhooks(): Promise<void> {
    return this.rt.webhooks.flush();
  }

  /** Runs Xero's intent-to-receive check against an endpoint (defaults: the configured URL and key). */
  intentToReceive(input: { url?: string; key?: string } = {}): Promise<IntentResult> {
    const url = input.url ?? this.rt.webhooks.config.url;
    const key = input.key ?? this.rt.webhooks.config.key;
    if (!url || !key) throw new ControlError(400, 'a webhook url and key are needed');
    return intentToReceive(url, key);
  }

  /** Whether Accounting requests are checked against the spec: 'off', 'record' or 'reject' (option `validateRequests`). */
  get requestValidation(): RequestValidationMode { return this.rt.specViolations.mode; }

  /** Accounting requests that did not conform to Xero's OpenAPI spec (empty when `validateRequests` is off). Kept across reset(). */
  specViolations(): SpecViolation[] {
    return this.rt.specViolations.list();
  }

  /** Violations not kept because 1,000 were already recorded. */
  get specViolationsDropped(): number { return this.rt.specViolations.dropped; }

  clearSpecViolations(): void {
    this.rt.specViolations.clear();
  }

  counters() {
    const { store } = this.rt;
    const c = store.counters;
    const organisations = Object.fromEntries([...store.books.entries()].map(([id, b]) => [id, { ...recordCounts(b), duplicates: duplicatesIn(b), inFlight: this.rt.limiter.inFlight(id) }]));
    const deliveries = this.rt.webhooks.deliveries;
    return {
      calls: structuredClone(c.calls),
      callsTotal: Object.values(c.calls).reduce((n, byEndpoint) => n + Object.values(byEndpoint).reduce((a, b) => a + b, 0), 0),
      rateLimited: { ...c.rateLimited },
      faults: structuredClone(c.faults),
      tokens: { ...c.tokens },
      idempotentReplays: c.idempotentReplays,
      emailsSent: { ...c.emailsSent },
      appMinutePeak: { ...c.appMinutePeak },
      organisations,
      webhooks: {
        deliveries: deliveries.length,
        delivered: deliveries.filter((d) => d.delivered).length,
        failedAttempts: deliveries.reduce((n, d) => n + d.attempts.filter((a) => a.status === undefined || a.status >= 300).length, 0),
        abandoned: deliveries.filter((d) => d.abandoned).length,
        dropped: this.rt.webhooks.dropped,
      },
    };
  }

  #valid<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw new ControlError(400, error instanceof Error ? error.message : String(error));
    }
  }
}

export function controlRouter(control: SandboxControl): Router {
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));
  const body = (req: express.Request) => (req.body ?? {}) as Record<string, unknown>;

  router.post('/reset', (_req, res) => { control.reset(); res.status(204).end(); });
  router.get('/organisations', (_req, res) => { res.json(control.listOrganisations()); });
  router.post('/organisations', (req, res) => { res.status(201).json(control.createOrganisation(body(req) as unknown as OrganisationInput)); });
  router.get('/organisations/:tenantId', (req, res) => { res.json(control.organisation(req.params['tenantId']!)); });
  router.get('/organisations/:tenantId/records', (req, res) => { res.json(control.records(req.params['tenantId']!)); });
  router.post('/organisations/:tenantId/tracking-categories', (req, res) => { res.json(control.setTrackingCategory(req.params['tenantId']!, body(req) as unknown as TrackingCategorySeed)); });
  router.post('/organisations/:tenantId/items', (req, res) => { res.json(control.setItem(req.params['tenantId']!, body(req) as unknown as ItemSeed)); });
  router.put('/organisations/:tenantId/currency-rates', (req, res) => { res.json(control.setCurrencyRates(req.params['tenantId']!, body(req) as Record<string, number>)); });
  router.post('/organisations/:tenantId/contacts', (req, res) => { res.status(201).json(control.createContact(req.params['tenantId']!, body(req))); });
  router.post('/organisations/:tenantId/contacts/:contactId', (req, res) => { res.json(control.updateContact(req.params['tenantId']!, req.params['contactId']!, body(req))); });
  router.post('/organisations/:tenantId/invoices', (req, res) => { res.status(201).json(control.createInvoice(req.params['tenantId']!, body(req))); });
  router.post('/organisations/:tenantId/invoices/:invoiceId', (req, res) => { res.json(control.updateInvoice(req.params['tenantId']!, req.params['invoiceId']!, body(req))); });
  router.post('/organisations/:tenantId/credit-notes', (req, res) => { res.status(201).json(control.createCreditNote(req.params['tenantId']!, body(req))); });
  router.post('/organisations/:tenantId/invoices/:invoiceId/payments', (req, res) => {
    res.status(201).json(control.payInvoice(req.params['tenantId']!, req.params['invoiceId']!, body(req) as PayInput));
  });
  router.delete('/organisations/:tenantId/payments/:paymentId', (req, res) => { res.json(control.deletePayment(req.params['tenantId']!, req.params['paymentId']!)); });
  router.post('/organisations/:tenantId/payments/:paymentId/reconcile', (req, res) => {
    res.json(control.reconcilePayment(req.params['tenantId']!, req.params['paymentId']!, body(req)['reconciled'] !== false));
  });
  router.put('/organisations/:tenantId/contact-limit', (req, res) => {
    res.json(control.setContactLimit(req.params['tenantId']!, (body(req)['limit'] ?? null) as number | null));
  });

  router.get('/clients', (_req, res) => { res.json(control.listClients()); });
  router.post('/clients', (req, res) => { res.status(201).json(control.registerClient(body(req) as unknown as ClientSettings)); });
  router.post('/authorize', (req, res) => { res.json(control.authorize(body(req) as unknown as AuthorizeInput)); });

  router.get('/limits', (_req, res) => { res.json(control.limits); });
  router.put('/limits', (req, res) => { res.json(control.setLimits(body(req))); });
  router.get('/faults', (_req, res) => { res.json(control.faults); });
  router.put('/faults', (req, res) => { res.json(control.setFaults(body(req))); });
  router.post('/rate-limit-storm', (req, res) => {
    const { seconds, tenantId, afterCalls } = body(req);
    res.json(control.rateLimitStorm({ seconds: Number(seconds), tenantId: tenantId as string | undefined, afterCalls: afterCalls as number | undefined }));
  });
  router.get('/rate-limit-storm', (_req, res) => { res.json(control.rateLimitStormStatus); });
  router.get('/time-scale', (_req, res) => { res.json({ timeScale: control.timeScale }); });
  router.put('/time-scale', (req, res) => { res.json({ timeScale: control.setTimeScale(Number(body(req)['timeScale'])) }); });
  router.post('/clock/advance', (req, res) => { res.json(control.advanceClock(Number(body(req)['ms']))); });

  router.get('/webhook', (_req, res) => { res.json(control.webhook); });
  router.put('/webhook', (req, res) => { res.json(control.setWebhook(body(req))); });
  router.get('/webhooks/deliveries', (_req, res) => { res.json(control.webhookDeliveries()); });
  router.post('/webhooks/flush', async (_req, res) => { await control.flushWebhooks(); res.status(204).end(); });
  router.post('/webhooks/intent-to-receive', async (req, res) => { res.json(await control.intentToReceive(body(req))); });

  router.get('/counters', (_req, res) => { res.json(control.counters()); });
  router.get('/spec-violations', (_req, res) => { res.json({ mode: control.requestValidation, violations: control.specViolations(), dropped: control.specViolationsDropped }); });
  router.delete('/spec-violations', (_req, res) => { control.clearSpecViolations(); res.status(204).end(); });

  router.use((_req, res) => { res.status(404).json({ error: 'unknown control operation' }); });
  const errors: ErrorRequestHandler = (error, _req, res, next) => {
    if (error instanceof ControlError) { res.status(error.status).json({ error: error.message, details: error.details }); return; }
    if (error instanceof XeroHttpError) { res.status(error.status).json({ error: error.message, details: error.body }); return; }
    if ((error as { type?: string }).type === 'entity.parse.failed') { res.status(400).json({ error: 'invalid JSON' }); return; }
    next(error);
  };
  router.use(errors);
  return router;
}

