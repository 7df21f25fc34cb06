/**
 * `GET` / `PUT /api/orgs/{orgId}/integrations/xero/mappings`: service → Xero account code, platform tax
 * code → Xero tax type, and optionally platform dimension → Xero tracking category, service → Xero item.
 * PUT replaces the whole set of each map it sends (send both required maps; `{}` clears one; an optional
 * map left out keeps its value). When Xero is connected every code is checked against the Xero
 * organisation, with the valid choices listed; the tracking categories read then are kept for the pushes.
 * An app without the settings scope gets them stored unchecked: `checkedAgainstXero: false` and
 * `notCheckedBecause` say so.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { getConnection } from '../../../../db/queries/connections.ts';
import { ensureOrganisation } from '../../../../db/queries/organisations.ts';
import { getOrgMappings, replaceOrgMappings, type OrgMappings } from '../../../../db/queries/settings.ts';
import { saveXeroCatalogue } from '../../../../db/queries/xero-catalogues.ts';
import { serviceItemProblems, trackingMappingProblems } from './catalogue-checks.ts';
import { HttpError, validationError, type FieldError } from '../../../errors.ts';
import { checkLineAccount, checkTaxType } from './code-checks.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { createXeroReader, type XeroReader } from '../../../../xero/reads.ts';
import { missingScopeOf, throwAsXeroProblem } from './xero-problem.ts';
import { lacksScopeMessage } from '../../../../xero/scopes.ts';

const platformCode = z.string().trim().min(1).max(100);
const mappingTable = (value: z.ZodString) =>
  z.record(platformCode, value).refine((m) => Object.keys(m).length <= 1000, { message: 'at most 1000 mappings' });

export const mappingsBody = z.strictObject({
  serviceAccounts: mappingTable(z.string().trim().min(1, 'required').max(10, 'Xero account codes are at most 10 characters')),
  taxTypes: mappingTable(z.string().trim().min(1, 'required').max(50)),
  /** platform dimension (chapter, branch, event...) → Xero tracking category name; Xero has at most two active. */
  trackingCategories: z
    .record(platformCode, z.string().trim().min(1, 'required').max(100, 'Xero tracking category names are at most 100 characters'))
    .refine((m) => Object.keys(m).length <= 2, { message: 'at most two: Xero has at most two active tracking categories' })
    .optional(),
  /** service code → Xero item code (sold items). */
  serviceItems: mappingTable(z.string().trim().min(1, 'required').max(30, 'Xero item codes are at most 30 characters')).optional(),
});

export function getMappings({ db }: IntegrationContext): RequestHandler {
  return async (req, res) => {
    res.json(await getOrgMappings(db, { orgId: orgIdOf(req) }));
  };
}

export function putMappings(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const body = mappingsBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);

    const connected = (await getConnection(ctx.db, { orgId }))?.status === 'connected';
    const reader = createXeroReader({ client: ctx.xero.client, orgId });
    const check = connected ? await mappingProblems(reader, body.data) : { checked: false as const, reason: 'Xero is not connected' };
    if (check.checked && check.problems.length > 0) {
      throw new HttpError(422, 'validation_failed', `Invalid body: ${check.problems.map((f) => `${f.path}: ${f.message}`).join('; ')}`, check.problems);
    }
    await ensureOrganisation(ctx.db, { orgId });
    await ctx.db.transaction(async (tx) => {
      await replaceOrgMappings(tx, { orgId, mappings: body.data });
      // The categories just read: the pushes check each line's options against them.
      if (check.checked && body.data.trackingCategories && Object.keys(body.data.trackingCategories).length > 0) {
        await saveXeroCatalogue(tx, { orgId, kind: 'tracking_categories', entries: await reader.trackingCategories() });
      }
    });
    res.json({ ...(await getOrgMappings(ctx.db, { orgId })), checkedAgainstXero: check.checked, ...(check.checked ? {} : { notCheckedBecause: check.reason }) });
  };
}

/** The codes checked against Xero; an app without a settings scope gets them stored unchecked (and told why). */
async function mappingProblems(reader: XeroReader, mappings: OrgMappings): Promise<{ checked: true; problems: FieldError[] } | { checked: false; reason: string }> {
  try {
    const problems: FieldError[] = [];
    for (const [service, code] of Object.entries(mappings.serviceAccounts)) {
      const message = await checkLineAccount(reader, code);
      if (message) problems.push({ path: `body.serviceAccounts.${service}`, message });
    }
    for (const [taxCode, taxType] of Object.entries(mappings.taxTypes)) {
      const message = await checkTaxType(reader, taxType);
      if (message) problems.push({ path: `body.taxTypes.${taxCode}`, message });
    }
    problems.push(...(await trackingMappingProblems(reader, mappings.trackingCategories ?? {})));
    problems.push(...(await serviceItemProblems(reader, mappings.serviceItems ?? {})));
    return { checked: true, problems };
  } catch (err) {
    const missing = missingScopeOf(err);
    if (missing) return { checked: false, reason: lacksScopeMessage('codes not verified', missing) };
    throwAsXeroProblem(err);
  }
}
