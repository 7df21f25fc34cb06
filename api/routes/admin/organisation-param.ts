import type { Request } from 'express';
import type { DbOrTx } from '../../../db/client.ts';
import { findOrganisation, type OrganisationRow } from '../../../db/queries/admin-status.ts';
import { notFound } from '../../errors.ts';
import { orgIdOf } from '../params.ts';

/** The organisation of an admin route (`:orgId`, documented as `{organization_id}`): one we know, or 404. */
export async function organisationOf(db: DbOrTx, req: Request): Promise<OrganisationRow> {
  const organisation = await findOrganisation(db, { orgId: orgIdOf(req) });
  if (!organisation) throw notFound('organisation');
  return organisation;
}
