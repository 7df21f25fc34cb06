/**
 * Requests for one operation of the document, as fast-check arbitraries: path, query and body generated from
 * the operation's schemas (most of them valid, so handlers are reached past validation), then spoilt in part
 * (hostile values, unknown fields, bodies that are not JSON), sent by every kind of caller: none, forged or
 * expired tokens, each role of this organisation, and the same roles of another organisation.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { hostileString, hostileValue, rawBody, spoil } from './hostile.ts';
import type { Operation, Parameter } from './operations.ts';
import { arbitraryFor, type Schema } from './schema-arbitrary.ts';

export const callers = [
  'none',
  'malformed',
  'basic',
  'forged',
  'expired',
  'alg_none',
  'unknown_role',
  'platform_admin',
  'client_admin',
  'service',
  'other_client_admin',
  'other_service',
  'client_admin_session',
  'platform_admin_session',
] as const;
export type Caller = (typeof callers)[number];

export interface FuzzContext {
  /** The organisation the requests aim at, seeded with a record of every kind. */
  orgId: string;
  /** Another organisation, with records of its own. */
  otherOrgId: string;
  /** Ids of this organisation's records, by the path segment that names their kind (`contacts`, `credit-notes`). */
  ids: Record<string, string[]>;
  /** The Authorization header each caller sends (absent: none). */
  authorization: Partial<Record<Caller, string>>;
  /** The pages' callers: a session cookie, and the CSRF token a page sends on writes. */
  sessions: Partial<Record<Caller, { cookie: string; csrf: string }>>;
  /** XERO_WEBHOOK_KEY, to sign some webhook deliveries correctly. */
  webhookKey: string;
  /** Values that must never appear in an answer: keys, client secrets, tokens. */
  secrets: string[];
  components: Record<string, Schema>;
}

export interface FuzzRequest {
  operation: Operation;
  method: string;
  /** Path and query, encoded. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  caller: Caller | 'signed' | 'badly_signed' | 'unsigned';
  /** How the request was made (which mutations): a finding names them. */
  notes: string[];
  /** Secrets this request carries, beside the context's: none of them may come back. */
  secrets: string[];
}

/** encodeURIComponent, but a lone surrogate goes out as the invalid UTF-8 it would be (%ED%A0%80), not as an exception. */
function encodeSegment(value: string): string {
  return [...value].map((ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return '%ED%A0%80';
    }
  }).join('');
}

const weighted = <T>(...choices: Array<[number, fc.Arbitrary<T>]>) => fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const nonEmptyHostile = hostileString.filter((s) => s.length > 0);
const marker = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }).map((hex) => `fuzz-secret-${hex}`);

function pathValue(op: Operation, param: Parameter, ctx: FuzzContext): fc.Arbitrary<{ value: string; note?: string }> {
  const generated = arbitraryFor(param.schema, ctx.components).map((v) => ({ value: String(v), note: `${param.name} generated` }));
  const hostile = nonEmptyHostile.map((value) => ({ value, note: `${param.name} hostile` }));
  if (param.name === 'orgId') {
    return weighted([6, fc.constant({ value: ctx.orgId })], [2, fc.constant({ value: ctx.otherOrgId, note: "another organisation's id" })], [1, generated], [1, hostile]);
  }
  const kind = op.template.split('/').at(op.template.split('/').indexOf(`{${param.name}}`) - 1) ?? '';
  const known = ctx.ids[kind] ?? [];
  return known.length > 0 ? weighted([6, fc.constantFrom(...known).map((value) => ({ value }))], [2, generated], [1, hostile]) : weighted([5, generated], [1, hostile]);
}

function queryValue(param: Parameter, ctx: FuzzContext): fc.Arbitrary<{ values: string[]; note?: string } | undefined> {
  const generated = arbitraryFor(param.schema, ctx.components).map((v) => ({ values: [typeof v === 'string' ? v : JSON.stringify(v)] }));
  const present = weighted<{ values: string[]; note?: string }>(
    [6, generated],
    [1, hostileString.map((s) => ({ values: [s], note: `${param.name} hostile` }))],
    [1, fc.tuple(generated, generated).map(([a, b]) => ({ values: [...a.values, ...b.values], note: `${param.name} twice` }))],
  );
  return param.required ? present : fc.option(present, { nil: undefined, freq: 2 });
}

interface GeneratedBody {
  bytes?: Buffer;
  headers: Record<string, string>;
  notes: string[];
  secrets: string[];
}

const noBody = (notes: string[]): GeneratedBody => ({ headers: {}, notes, secrets: [] });
const jsonBody = (value: unknown, notes: string[], secrets: string[] = []): GeneratedBody => ({
  bytes: Buffer.from(JSON.stringify(value) ?? 'null'),
  headers: { 'content-type': 'application/json' },
  notes,
  secrets,
});

function bodyFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<GeneratedBody> {
  const raw = rawBody.map((b): GeneratedBody => ({ bytes: b.bytes, headers: b.headers, notes: [b.note], secrets: [] }));
  if (!op.body) {
    // Routes without a body still parse one under /api: a stray body must not break them.
    return weighted<GeneratedBody>([17, fc.constant(noBody([]))], [2, raw], [1, hostileValue.map((v) => jsonBody(v, ['a stray JSON body']))]);
  }
  const valid = fc.tuple(arbitraryFor(op.body.schema, ctx.components), fc.boolean()).map(([body, known]) => (known ? withKnownReferences(body, ctx) : body));
  const choices: Array<[number, fc.Arbitrary<GeneratedBody>]> = [
    [10, valid.map((body) => jsonBody(body, ['valid body']))],
    [6, valid.chain((body) => spoil(body).map(({ value, note }) => jsonBody(value, [note])))],
    [2, raw],
  ];
  // A client secret in the body, valid or far too long: the answer, its validation message included, must not repeat it.
  if ((op.body.schema.properties as Record<string, unknown> | undefined)?.clientSecret) {
    choices.push([
      6,
      fc.tuple(valid, marker, fc.boolean()).map(([body, secret, tooLong]) =>
        jsonBody({ ...(body as object), clientSecret: tooLong ? secret.repeat(20) : secret }, [tooLong ? 'a client secret over the length limit' : 'a client secret'], [secret]),
      ),
    ]);
  }
  if (!op.body.required) choices.push([1, fc.constant(noBody(['no body']))]);
  return weighted(...choices);
}

/** Generated ids rarely name a stored record: half the bodies point `contactId` / `invoiceId` at real ones, so handlers go past "not found". */
function withKnownReferences(value: unknown, ctx: FuzzContext): unknown {
  if (Array.isArray(value)) return value.map((v) => withKnownReferences(v, ctx));
  if (!value || typeof value !== 'object') return value;
  const known: Record<string, string | undefined> = { contactId: ctx.ids.contacts?.[0], invoiceId: ctx.ids.invoices?.[0] };
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'string' && known[key] ? known[key] : withKnownReferences(v, ctx)]),
  );
}

type Authorisation = { caller: FuzzRequest['caller']; headers: Record<string, string>; secrets: string[] };

function authorisationFor(op: Operation, ctx: FuzzContext, body: Buffer | undefined, forced?: Caller): fc.Arbitrary<Authorisation> {
  if (op.auth === 'xero-signature') {
    const sign = (bytes: Buffer) => createHmac('sha256', ctx.webhookKey).update(bytes).digest('base64');
    return weighted<Authorisation>(
      [4, fc.constant({ caller: 'signed', headers: { 'x-xero-signature': sign(body ?? Buffer.alloc(0)) }, secrets: [] })],
      [1, fc.constant({ caller: 'unsigned', headers: {}, secrets: [] })],
      [1, fc.constant({ caller: 'badly_signed', headers: { 'x-xero-signature': sign(Buffer.from('other bytes')) }, secrets: [] })],
      [1, hostileString.map((s) => ({ caller: 'badly_signed' as const, headers: { 'x-xero-signature': s.replace(/[^\x20-\x7e]/g, '?') }, secrets: [] }))],
    );
  }
  // Mostly callers who get past authentication, or the handlers behind it would hardly be reached.
  const weight = (caller: Caller) => (['client_admin', 'service'].includes(caller) ? 6 : ['platform_admin', 'client_admin_session', 'platform_admin_session'].includes(caller) ? 3 : 1);
  const picked = forced ? fc.constant(forced) : weighted(...callers.map((c): [number, fc.Arbitrary<Caller>] => [weight(c), fc.constant(c)]));
  return picked.map((caller) => {
    const header = ctx.authorization[caller];
    const session = ctx.sessions[caller];
    const headers: Record<string, string> = header ? { authorization: header } : session ? { cookie: session.cookie, ...(op.method === 'GET' ? {} : { 'x-csrf-token': session.csrf }) } : {};
    return { caller, headers, secrets: header && caller !== 'malformed' && caller !== 'basic' ? [header.replace(/^Bearer /, '')] : [] };
  });
}

/** `forced`: this caller, whatever the dice say (the fuzzer makes sure every operation meets an anonymous and an allowed one). */
export function requestFor(op: Operation, ctx: FuzzContext, forced?: Caller): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map((p) => pathValue(op, p, ctx)));
  const query = fc.tuple(...queryParams.map((p) => queryValue(p, ctx)), fc.option(hostileString, { freq: 9 }));
  const accept = op.template.includes('callback') ? fc.constantFrom('application/json', 'application/json', 'text/html', '*/*') : fc.constant('application/json');

  return fc.tuple(path, query, bodyFor(op, ctx), accept).chain(([pathValues, queryValues, body, acceptHeader]) =>
    authorisationFor(op, ctx, body.bytes, forced).map((auth): FuzzRequest => {
      let url = op.template;
      const notes = [...body.notes];
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeSegment(pathValues[i]!.value));
        if (pathValues[i]!.note) notes.push(pathValues[i]!.note!);
      });
      const search = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const q = queryValues[i] as { values: string[]; note?: string } | undefined;
        for (const value of q?.values ?? []) search.append(p.name, value);
        if (q?.note) notes.push(q.note);
      });
      const unknown = queryValues.at(-1) as string | null;
      if (unknown !== null && unknown !== undefined) {
        search.append(`x_${unknown.slice(0, 20)}`, 'unknown');
        notes.push('an unknown query parameter');
      }
      const qs = search.toString();
      return {
        operation: op,
        method: op.method,
        url: qs ? `${url}?${qs}` : url,
        headers: { accept: acceptHeader, ...body.headers, ...auth.headers },
        ...(body.bytes ? { body: body.bytes } : {}),
        caller: auth.caller,
        notes,
        secrets: [...body.secrets, ...auth.secrets],
      };
    }),
  );
}
