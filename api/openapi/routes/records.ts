/** The main app's records: one at a time, in batches, read back with their sync state; an invoice pushed now or voided, a receipt reversed. */
import type { z } from 'zod';
import { batchEnvelope, MAX_BATCH, recordId } from '../../routes/record-bodies.ts';
import type { RecordKind } from '../../routes/records.ts';
import { orgParams, recordParams } from '../../routes/params.ts';
import { toJsonSchema } from '../document.ts';
import type { JsonSchema, RouteDoc } from '../route-doc.ts';

const WHO = ['client_admin', 'service'] as const;
const RECORD = { component: 'Record' };
const ACCESS_ERRORS = { 403: ['forbidden'], 404: ['not_found'] };

/** What a kind's store refuses beyond validation: a record Xero already holds that may not change, credit above what is due. */
const REFUSALS: Partial<Record<string, Record<number, string[]>>> = {
  invoice: { 409: ['invoice_voided'] },
  payment: { 409: ['payment_in_xero'] },
  credit_note: { 409: ['credit_in_xero'], 422: ['allocation_refused'] },
};

/** A record's body with its `id` beside the fields (batch items, and receipts, which are POSTed). */
function withId(body: z.ZodType): JsonSchema {
  const schema = toJsonSchema(body, 'input') as JsonSchema & { properties?: Record<string, unknown>; required?: string[] };
  return { ...schema, properties: { id: toJsonSchema(recordId, 'input'), ...schema.properties }, required: ['id', ...(schema.required ?? [])] };
}

/** The batch envelope the handler checks first (`batchEnvelope`), each item then checked against the kind's body. */
function batchOf(body: z.ZodType): JsonSchema {
  const envelope = toJsonSchema(batchEnvelope, 'input') as JsonSchema & { properties: { items: JsonSchema } };
  return { ...envelope, properties: { items: { ...envelope.properties.items, items: withId(body) } } };
}

export function recordRoutes(kinds: Array<RecordKind<unknown>>): RouteDoc[] {
  return kinds.flatMap((kind): RouteDoc[] => {
    const base = `/api/orgs/:orgId/${kind.plural}`;
    const name = kind.type.charAt(0).toUpperCase() + kind.type.slice(1);
    const conflicts = REFUSALS[kind.type] ?? {};
    const common = { tag: 'records', auth: 'bearer' as const, roles: [...WHO] };
    const single: RouteDoc =
      kind.writeMethod === 'put'
        ? {
            ...common,
            method: 'put',
            path: `${base}/:id`,
            operationId: `put${name}`,
            summary: `Create or update one ${kind.type}`,
            description: `Stored with sync state \`pending\` in one transaction, then the organisation's workflow is woken. The same body twice is one record and no extra push.`,
            params: recordParams,
            body: { schema: kind.body },
            responses: { 200: { description: `The ${kind.type} as stored, with its sync state`, schema: RECORD } },
            errors: { ...ACCESS_ERRORS, ...conflicts },
          }
        : {
            ...common,
            method: 'post',
            path: base,
            operationId: `post${name}`,
            summary: `Record one ${kind.type} (its id in the body)`,
            description: 'A receipt already in Xero cannot change (409 `payment_in_xero`).',
            params: orgParams,
            body: { schema: { jsonSchema: withId(kind.body) } },
            responses: { 201: { description: `The ${kind.type} as stored, with its sync state`, schema: RECORD } },
            errors: { ...ACCESS_ERRORS, ...conflicts },
          };
    const batch: RouteDoc = {
      ...common,
      method: kind.writeMethod,
      path: kind.writeMethod === 'put' ? base : `${base}/batch`,
      operationId: `${kind.writeMethod}${name}Batch`,
      summary: `Create or update up to ${MAX_BATCH} ${kind.plural} at once`,
      description: 'All or nothing: one invalid item refuses the batch (422, every offending field named) and stores none.',
      params: orgParams,
      body: { schema: { jsonSchema: batchOf(kind.body) } },
      responses: { 200: { description: 'What was accepted, and which items changed', schema: { component: 'BatchAccepted' } } },
      errors: { ...ACCESS_ERRORS, ...conflicts },
    };
    const read: RouteDoc = {
      ...common,
      method: 'get',
      path: `${base}/:id`,
      operationId: `get${name}`,
      summary: `One ${kind.type} with its sync state`,
      description: "Xero's id, `pending` / `synced` / `failed` / `skipped`, attempts, Xero's message and what to do about it.",
      params: recordParams,
      responses: { 200: { description: `The ${kind.type} and its sync state`, schema: RECORD } },
      errors: ACCESS_ERRORS,
    };
    return [single, batch, read];
  });
}

const recordAction = { tag: 'records', auth: 'bearer' as const, roles: [...WHO], params: recordParams, method: 'post' as const };

export const recordActionRoutes: RouteDoc[] = [
  {
    ...recordAction,
    path: '/api/orgs/:orgId/invoices/:id/sync',
    operationId: 'syncInvoiceNow',
    summary: 'Push this invoice now',
    description: 'With auto-sync off, new invoices wait in `skipped`: this queues one (and re-queues a failed one once its cause is fixed).',
    responses: { 202: { description: 'Queued: the invoice and its sync state', schema: RECORD } },
    errors: ACCESS_ERRORS,
  },
  {
    ...recordAction,
    path: '/api/orgs/:orgId/invoices/:id/void',
    operationId: 'voidInvoice',
    summary: 'Void this invoice',
    description:
      "Answers at once; the organisation's workflow sends Xero the status change (DELETED for a draft or submitted invoice, VOIDED for an approved one) at its pace. Asking twice changes nothing. An invoice with money applied to it cannot be voided: credit it instead.",
    responses: { 202: { description: 'The invoice, its void requested, and its sync state', schema: RECORD } },
    errors: { ...ACCESS_ERRORS, 409: ['invoice_has_payments'] },
  },
  {
    ...recordAction,
    path: '/api/orgs/:orgId/payments/:id/reverse',
    operationId: 'reverseReceipt',
    summary: 'Reverse a receipt taken in the platform',
    description: "Xero payments cannot be edited, only deleted: the receipt is marked reversed for good and its payment deleted in Xero by the organisation's workflow. A payment made in Xero is Xero's to delete.",
    responses: {
      202: { description: 'Reversal requested (`reversal: "reversed"`): the receipt and its sync state', schema: { jsonSchema: reversalAnswer('reversed') } },
      200: { description: 'Already reversed (`reversal: "already_reversed"`): nothing changes', schema: { jsonSchema: reversalAnswer('already_reversed') } },
    },
    errors: { ...ACCESS_ERRORS, 409: ['payment_made_in_xero'] },
  },
];

function reversalAnswer(outcome: string): JsonSchema {
  return { allOf: [{ $ref: '#/components/schemas/Record' }, { type: 'object', properties: { reversal: { const: outcome } }, required: ['reversal'] }] };
}
