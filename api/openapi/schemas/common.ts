/**
 * Zod schemas of the answers every part of the API shares, for the OpenAPI document (the request schemas live
 * beside their handlers, which validate with them). Where an answer carries a stored row as is, the schema names
 * the fields a client relies on and allows the rest (`looseObject`); elsewhere it lists every field, so the
 * fuzzer (test/fuzz), which checks each answer against the document, notices an answer that drifts from it.
 */
import { z } from 'zod';
import { syncStates } from '../../../db/schema/index.ts';

export const instant = z.iso.datetime({ offset: true });

/** RFC 9457 problem details, every error of the API but the webhook's (Xero wants empty bodies). */
export const problemSchema = z.looseObject({
  type: z.string().meta({ description: 'Always `about:blank`: `code` is the stable identifier.' }),
  title: z.string(),
  status: z.number().int(),
  code: z.string().meta({ description: 'Stable, for programs: what went wrong.' }),
  detail: z.string().meta({ description: 'What happened and what to do about it.' }),
  errors: z
    .array(z.object({ path: z.string().meta({ description: 'e.g. `body.lines.0.quantity`' }), message: z.string() }))
    .optional()
    .meta({ description: 'For 422 answers: every offending field, so all can be fixed at once.' }),
  problems: z
    .array(z.object({ row: z.number().int(), record_id: z.string().nullable(), xero_id: z.string().nullable(), problem: z.string() }))
    .optional()
    .meta({ description: 'For 422 `links_rejected`: every row of the import that cannot be applied.' }),
});

export const syncStateSchema = z
  .object({
    state: z.enum(syncStates),
    xeroId: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable().meta({ description: "Xero's own words" }),
    lastErrorHint: z.string().nullable().meta({ description: 'What to do about it' }),
    syncedAt: instant.nullable(),
    updatedAt: instant,
  })
  .nullable();

/** A record as stored (the fields the main app sent, normalised, with our timestamps) and its sync state. */
export const recordViewSchema = z.looseObject({ id: z.string(), orgId: z.string(), sync: syncStateSchema });

export const batchAcceptedSchema = z.object({
  accepted: z.number().int(),
  changed: z.number().int().meta({ description: 'Records new or different from what was stored: only these are pushed.' }),
  items: z.array(z.object({ id: z.string(), changed: z.boolean() })),
});

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.string(), temporal: z.string() }).meta({ description: '`ok`, or why not' }),
});
