/**
 * The main app tells us about its members: `PUT /api/orgs/{orgId}/contacts/{contactId}`.
 * The record and its pending sync state are written in one transaction, then the organisation's
 * workflow is woken. The answer never depends on Temporal: what was accepted is in the database.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getContact, upsertContact } from '../../db/queries/contacts.ts';
import type { Logger } from '../../config/logger.ts';
import { requireOrgAccess } from '../auth.ts';
import { notFound, validationError } from '../errors.ts';
import type { TenantWorkflows } from '../tenant-workflow.ts';
import { presentSyncState } from './sync-state-view.ts';

const params = z.strictObject({
  orgId: z.string().min(1).max(100),
  contactId: z.string().min(1).max(100).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only'),
});

const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const contactBody = z.strictObject({
  name: z.string().trim().min(1, 'required').max(255, 'Xero allows at most 255 characters'),
  firstName: optionalText(255),
  lastName: optionalText(255),
  email: z.email('expected an email address').max(255).nullish(),
  phone: optionalText(50),
});

export function contactsRouter({ db, tenants, logger }: { db: Db; tenants: TenantWorkflows; logger: Logger }): Router {
  const router = Router({ mergeParams: true });
  const access = requireOrgAccess('client_admin', 'service');

  router.put('/api/orgs/:orgId/contacts/:contactId', access, async (req, res) => {
    const p = params.safeParse(req.params);
    if (!p.success) throw validationError(p.error, 'path');
    const body = contactBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error);

    const { orgId, contactId } = p.data;
    const { changed } = await db.transaction((tx) => upsertContact(tx, { orgId, contactId, contact: body.data }));
    if (changed) await wakeQuietly(tenants, orgId, logger);

    const stored = await getContact(db, { orgId, contactId });
    res.status(200).json({ ...stored!.contact, sync: presentSyncState(stored!.sync) });
  });

  router.get('/api/orgs/:orgId/contacts/:contactId', access, async (req, res) => {
    const p = params.safeParse(req.params);
    if (!p.success) throw validationError(p.error, 'path');
    const stored = await getContact(db, { orgId: p.data.orgId, contactId: p.data.contactId });
    if (!stored) throw notFound('contact');
    res.json({ ...stored.contact, sync: presentSyncState(stored.sync) });
  });

  return router;
}

/** Temporal being briefly unreachable must not fail a write that is already committed. */
async function wakeQuietly(tenants: TenantWorkflows, orgId: string, logger: Logger): Promise<void> {
  try {
    await tenants.wake(orgId);
  } catch (err) {
    logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, 'could not wake the tenant workflow; the relay will retry');
  }
}
