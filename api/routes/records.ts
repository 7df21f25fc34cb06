/**
 * The main app tells us about its records: contacts (members), invoices, receipts (payments), expenses
 * and credit notes, one at a time or in batches of up to 1,000. Each request writes the records and their
 * pending sync state in ONE transaction, then wakes the organisation's workflow once. The answer never
 * depends on Temporal: what was accepted is in the database, and the relay re-wakes if the poke failed.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { RecordType, SyncState } from '../../db/schema/index.ts';
import type { SyncStateRow } from '../../db/queries/sync-state.ts';
import type { Logger } from '../../config/logger.ts';
import { requireOrgAccess } from '../auth.ts';
import { HttpError, notFound, validationError, type FieldError } from '../errors.ts';
import { idOf, orgIdOf } from './params.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { batchEnvelope, recordId } from './record-bodies.ts';
import { presentSyncState } from './sync-state-view.ts';

export interface RecordKind<Body> {
  type: RecordType;
  /** URL segment: contacts, invoices, payments, expenses, credit-notes. */
  plural: string;
  body: z.ZodType<Body>;
  /** Receipts are POSTed (the id is in the body); the others are PUT at their id. */
  writeMethod: 'put' | 'post';
  /** Stores a batch in one go (set-based: a 1,000-record import is a handful of statements). */
  store(tx: DbOrTx, args: { orgId: string; items: Array<{ id: string; body: Body }>; context: StoreContext }): Promise<Array<{ id: string; changed: boolean }>>;
  load(db: DbOrTx, args: { orgId: string; id: string }): Promise<{ record: object; sync: SyncStateRow | undefined } | undefined>;
}

export interface StoreContext {
  /** The state a new or changed record starts in (`skipped` for invoices while auto-sync is off). */
  initialState(type: RecordType): SyncState;
}

export interface RecordsDeps {
  db: Db;
  workflows: OrgWorkflows;
  logger: Logger;
  /** Per-request: reads the organisation's settings once (e.g. auto-sync). */
  storeContext(db: DbOrTx, orgId: string): Promise<StoreContext>;
}

export function recordsRouter(deps: RecordsDeps, kinds: Array<RecordKind<unknown>>): Router {
  const router = Router();
  const access = requireOrgAccess('client_admin', 'service');

  for (const kind of kinds) {
    const base = `/api/orgs/:orgId/${kind.plural}`;

    const accept = async (orgId: string, items: Array<{ id: string; body: unknown }>) => {
      const results = await deps.db.transaction(async (tx) => kind.store(tx, { orgId, items, context: await deps.storeContext(tx, orgId) }));
      if (results.some((r) => r.changed)) await wakeQuietly(deps, orgId);
      return results;
    };

    // The record and its sync state from one snapshot: a push committing between two reads would
    // otherwise show a synced record with the amounts Xero answered still missing.
    const load = (orgId: string, id: string) =>
      deps.db.transaction((tx) => kind.load(tx, { orgId, id }), { isolationLevel: 'repeatable read', accessMode: 'read only' });

    const single = async (req: Request, id: string) => {
      const orgId = orgIdOf(req);
      const body = kind.body.safeParse(req.body);
      if (!body.success) throw validationError(body.error);
      await accept(orgId, [{ id, body: body.data }]);
      const stored = await load(orgId, id);
      return { ...stored!.record, sync: presentSyncState(stored!.sync) };
    };

    if (kind.writeMethod === 'put') {
      router.put(`${base}/:id`, access, async (req, res) => {
        res.json(await single(req, idOf(req)));
      });
    }

    // Batch: PUT /contacts, /invoices, /expenses; POST /payments/batch.
    const batchPath = kind.writeMethod === 'put' ? base : `${base}/batch`;
    const batchHandler = async (req: Request, res: Response) => {
      const orgId = orgIdOf(req);
      const envelope = batchEnvelope.safeParse(req.body);
      if (!envelope.success) throw validationError(envelope.error);
      const items = parseItems(kind, envelope.data.items);
      const results = await accept(orgId, items);
      res.json({ accepted: results.length, changed: results.filter((r) => r.changed).length, items: results });
    };
    if (kind.writeMethod === 'put') router.put(batchPath, access, batchHandler);
    else router.post(batchPath, access, batchHandler);

    if (kind.writeMethod === 'post') {
      router.post(base, access, async (req, res) => {
        const id = recordId.safeParse((req.body as { id?: unknown } | undefined)?.id);
        if (!id.success) throw validationError(id.error, 'body.id');
        const { id: _id, ...rest } = req.body as Record<string, unknown>;
        req.body = rest;
        res.status(201).json(await single(req, id.data));
      });
    }

    router.get(`${base}/:id`, access, async (req, res) => {
      const stored = await load(orgIdOf(req), idOf(req));
      if (!stored) throw notFound(kind.type);
      res.json({ ...stored.record, sync: presentSyncState(stored.sync) });
    });
  }
  return router;
}

function parseItems<Body>(kind: RecordKind<Body>, raw: Array<Record<string, unknown>>): Array<{ id: string; body: Body }> {
  const errors: FieldError[] = [];
  const items: Array<{ id: string; body: Body }> = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const { id, ...rest } = item;
    const parsedId = recordId.safeParse(id);
    if (!parsedId.success) errors.push({ path: `body.items.${i}.id`, message: parsedId.error.issues[0]?.message ?? 'invalid id' });
    else if (seen.has(parsedId.data)) errors.push({ path: `body.items.${i}.id`, message: 'duplicate id in this batch' });
    else seen.add(parsedId.data);
    const body = kind.body.safeParse(rest);
    if (!body.success) {
      for (const issue of body.error.issues) errors.push({ path: ['body', 'items', i, ...issue.path.map(String)].join('.'), message: issue.message });
    }
    if (parsedId.success && body.success) items.push({ id: parsedId.data, body: body.data });
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new HttpError(422, 'validation_failed', `Invalid batch (nothing stored): ${shown}${errors.length > 20 ? ` and ${errors.length - 20} more` : ''}`, errors);
  }
  return items;
}

/** Temporal being briefly unreachable must not fail a write that is already committed. */
async function wakeQuietly({ workflows, logger }: RecordsDeps, orgId: string): Promise<void> {
  try {
    await workflows.wake(orgId);
  } catch (err) {
    logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, "could not wake the organisation's workflow; the relay will retry");
  }
}
