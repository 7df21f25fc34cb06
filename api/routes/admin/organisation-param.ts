import type { Request } from 'express';
import type { DbOrTx } from '../../../db/client.ts';
import { findOrganisation, type OrganisationRow } from '../../../db/queries/admin-status.ts';
import { notFound, validationError } from '../../errors.ts';
import { recordId } from '../record-bodies.ts';

/** The `:organization_id` of an admin route: a valid id (422) of an organisation we know (404). */
export async function organisationOf(db: DbOrTx, req: Request): Promise<OrganisationRow> {
  const id = recordId.safeParse(req.params.organization_id);
  if (!id.success) throw validationError(id.error, 'path.organization_id');
  const organisation = await findOrganisation(db, { orgId: id.data });
  if (!organisation) throw notFound('organisation');
  return organisation;
}
