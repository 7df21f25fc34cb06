/** Route parameters every router reads, validated once: `:orgId` and a record's `:id`. */
import type { Request } from 'express';
import { z } from 'zod';
import { validationError } from '../errors.ts';
import { recordId } from './record-bodies.ts';

/** The path parameters as the OpenAPI document states them: the very schema the readers below apply. */
export const orgParams = z.strictObject({ orgId: recordId });
export const recordParams = z.strictObject({ orgId: recordId, id: recordId });

/** The `:orgId` of a route (422 naming `path.orgId` when it is not a valid id). */
export function orgIdOf(req: Request): string {
  const id = recordId.safeParse(req.params.orgId);
  if (!id.success) throw validationError(id.error, 'path.orgId');
  return id.data;
}

/** The record `:id` of a route. */
export function idOf(req: Request): string {
  const id = recordId.safeParse(req.params.id);
  if (!id.success) throw validationError(id.error, 'path.id');
  return id.data;
}
