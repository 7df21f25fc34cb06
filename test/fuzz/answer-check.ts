/**
 * Whether an answer is one the document promises: a status the operation lists, a media type listed for that
 * status, a body valid against its schema (JSON Schema 2020-12, with ajv), and no secret the caller may not
 * see, in the body or in a header. No 5xx at all.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from './operations.ts';
import type { Schema } from './schema-arbitrary.ts';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type FindingKind = 'server_error' | 'undocumented_status' | 'undocumented_media_type' | 'body_not_as_documented' | 'secret_in_answer';

export interface Finding {
  kind: FindingKind;
  detail: string;
}

/** `#/components/schemas/X` resolved against a copy of the components carried in the schema itself. */
function selfContained(schema: Schema, components: Record<string, Schema>): Schema {
  const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/');
  const defs = JSON.parse(JSON.stringify(components).replaceAll('"#/components/schemas/', '"#/$defs/')) as Record<string, Schema>;
  return { ...(JSON.parse(text) as Schema), $defs: defs };
}

export function createAnswerChecker(components: Record<string, Schema>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: Schema) => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(selfContained(schema, components));
      compiled.set(key, validate);
    }
    return validate;
  };

  return function check(op: Operation, answer: Answer, secrets: string[]): Finding[] {
    const findings: Finding[] = [];
    const text = answer.body.toString('utf8');
    const headerText = JSON.stringify(answer.headers);
    for (const secret of secrets) {
      if (secret.length >= 8 && (text.includes(secret) || headerText.includes(secret))) findings.push({ kind: 'secret_in_answer', detail: `the answer repeats a secret (${secret.slice(0, 6)}…)` });
    }
    if (answer.status >= 500) findings.push({ kind: 'server_error', detail: `${answer.status}: ${text.slice(0, 300)}` });
    const documented = op.responses[String(answer.status)] ?? op.responses.default;
    if (!documented) {
      findings.push({ kind: 'undocumented_status', detail: `${answer.status} is not among ${Object.keys(op.responses).join(', ')}: ${text.slice(0, 300)}` });
      return findings;
    }
    const mediaTypes = Object.keys(documented);
    if (mediaTypes.length === 0) {
      // A redirect's short note for whoever does not follow it (Express writes one) is not an answer body.
      if (answer.body.length > 0 && !(answer.status >= 300 && answer.status < 400)) findings.push({ kind: 'body_not_as_documented', detail: `an empty body is documented, got ${text.slice(0, 200)}` });
      return findings;
    }
    const contentType = String(answer.headers['content-type'] ?? '').split(';')[0]!.trim();
    const mediaType = mediaTypes.find((type) => type.split(';')[0]!.trim() === contentType);
    if (!mediaType) {
      findings.push({ kind: 'undocumented_media_type', detail: `${answer.status} answered ${contentType || 'no content-type'}, documented: ${mediaTypes.join(', ')}` });
      return findings;
    }
    if (!/json/.test(mediaType)) return findings;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      findings.push({ kind: 'body_not_as_documented', detail: `${answer.status} ${mediaType} is not JSON: ${text.slice(0, 200)}` });
      return findings;
    }
    const validate = validator(`${op.id} ${answer.status} ${mediaType}`, documented[mediaType]!);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
      findings.push({ kind: 'body_not_as_documented', detail: `${answer.status} ${mediaType}: ${errors.join('; ')} in ${text.slice(0, 300)}` });
    }
    return findings;
  };
}
