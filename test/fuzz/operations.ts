/** The operations of an OpenAPI 3.1 document, flattened for the fuzzer: what to send, and which answers may come back. */
import type { Schema } from './schema-arbitrary.ts';

export type OperationAuth = 'bearer' | 'metrics' | 'xero-signature' | 'none';

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  id: string;
  method: string;
  /** `/api/orgs/{orgId}/contacts/{id}` */
  template: string;
  auth: OperationAuth;
  /** `x-roles`: the roles a bearer token may carry here. */
  roles: string[];
  parameters: Parameter[];
  body?: { contentType: string; schema: Schema; required: boolean };
  /** By status: the media types an answer may have (none: an empty body), each with its schema. */
  responses: Record<string, Record<string, Schema>>;
}

export interface OpenApi {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface RawOperation {
  operationId: string;
  security?: Array<Record<string, unknown>>;
  'x-roles'?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

function authOf(security: RawOperation['security']): OperationAuth {
  const schemes = (security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.includes('bearerAuth')) return 'bearer';
  if (schemes.includes('xeroSignature')) return 'xero-signature';
  if (schemes.includes('metricsBasic')) return 'metrics';
  return 'none';
}

export function operationsOf(document: OpenApi): Operation[] {
  return Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]): Operation => {
      const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        template,
        auth: authOf(op.security),
        roles: op['x-roles'] ?? [],
        parameters: op.parameters ?? [],
        ...(body ? { body: { contentType: body[0], schema: body[1].schema, required: op.requestBody!.required ?? false } } : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, answer]) => [status, Object.fromEntries(Object.entries(answer.content ?? {}).map(([type, c]) => [type, c.schema]))]),
        ),
      };
    }),
  );
}
