/**
 * The fuzzer's loop: requests for every operation of the document (requests.ts), sent over plain HTTP a few at
 * a time, each answer checked against the document (answer-check.ts). Rounds of `perOperation` requests per
 * operation, each round with the next seed, until `rounds` are done or `seconds` have passed. Returns the
 * figures and the findings, a few examples of each (operation, kind, status), with what made the request.
 */
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { createAnswerChecker, type Answer, type FindingKind } from './answer-check.ts';
import { operationsOf, type OpenApi } from './operations.ts';
import { requestFor, type Caller, type FuzzContext, type FuzzRequest } from './requests.ts';

export interface FuzzOptions {
  baseUrl: string;
  document: OpenApi;
  context: Omit<FuzzContext, 'components'>;
  perOperation: number;
  /** Operation ids whose every request and answer is printed (FUZZ_TRACE), to see why one is never answered 2xx. */
  trace?: string[];
  /** Stop after this many rounds... */
  rounds?: number;
  /** ...or once this many seconds have passed, whichever comes first. */
  seconds?: number;
  concurrency?: number;
  seed: number;
}

export interface FuzzFinding {
  kind: FindingKind | 'no_answer';
  operation: string;
  status: number | null;
  detail: string;
  request: string;
}

export interface FuzzFigures {
  seed: number;
  requests: number;
  operations: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  /** Every finding, counted; `findings` keeps a few examples of each. */
  findingCount: number;
  findings: FuzzFinding[];
  seconds: number;
  /** Per operation: how many requests, how many answered 2xx. */
  perOperation: Record<string, { requests: number; succeeded: number }>;
}

const ROLE_CALLERS: Record<string, Caller> = { platform_admin: 'platform_admin', client_admin: 'client_admin', service: 'service' };

const EXAMPLES_PER_KIND = 3;
const ANSWER_TIMEOUT_MS = 15_000;

function describe(req: FuzzRequest): string {
  const body = req.body ? ` body(${req.body.length} B${req.body.length < 300 ? `: ${req.body.toString('utf8')}` : ''})` : '';
  return `${req.method} ${req.url.slice(0, 300)} as ${req.caller}${req.notes.length ? ` [${req.notes.join('; ')}]` : ''}${body}`;
}

function send(baseUrl: string, agent: Agent, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(req.url, baseUrl);
    const outgoing = httpRequest(
      target,
      { method: req.method, agent, headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) }, timeout: ANSWER_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

export async function fuzzApi(options: FuzzOptions): Promise<FuzzFigures> {
  const started = Date.now();
  const context: FuzzContext = { ...options.context, components: options.document.components.schemas };
  const operations = operationsOf(options.document);
  const check = createAnswerChecker(options.document.components.schemas);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 });
  const arbitraries = operations.map((op) => requestFor(op, context));
  const figures: FuzzFigures = {
    seed: options.seed,
    requests: 0,
    operations: operations.length,
    byStatus: {},
    serverErrors: 0,
    findingCount: 0,
    findings: [],
    seconds: 0,
    perOperation: Object.fromEntries(operations.map((op) => [op.id, { requests: 0, succeeded: 0 }])),
  };
  // Whatever the dice say, every operation is called at least once without a token and once with an allowed role's.
  const guaranteed = operations.flatMap((op, i) => {
    const allowed = op.roles.map((role) => ROLE_CALLERS[role]).find(Boolean);
    const forced: Caller[] = op.auth === 'bearer' ? ['none', allowed ?? 'platform_admin'] : [];
    return forced.map((caller, n) => fc.sample(requestFor(op, context, caller), { numRuns: 1, seed: options.seed - 1 - i * 2 - n })[0]!);
  });
  const examples = new Map<string, number>();
  const note = (finding: FuzzFinding) => {
    figures.findingCount += 1;
    const key = `${finding.operation} ${finding.kind} ${finding.status}`;
    const seen = examples.get(key) ?? 0;
    examples.set(key, seen + 1);
    if (seen < EXAMPLES_PER_KIND) figures.findings.push(finding);
  };

  const deadline = options.seconds ? started + options.seconds * 1000 : Infinity;
  const rounds = options.rounds ?? Infinity;
  try {
    for (let round = 0; round < rounds && Date.now() < deadline; round += 1) {
      // Each round, the operations in a fresh order: state one request leaves (a disconnect, a plan switched off) meets every other.
      const batch = fc.sample(fc.shuffledSubarray(arbitraries.flatMap((_arbitrary, i) => Array.from({ length: options.perOperation }, () => i)), { minLength: arbitraries.length * options.perOperation }), { numRuns: 1, seed: options.seed + round })[0]!;
      const requests = [...(round === 0 ? guaranteed : []), ...batch.map((index, n) => fc.sample(arbitraries[index]!, { numRuns: 1, seed: options.seed + round * 100_003 + n })[0]!)];
      let next = 0;
      const lane = async () => {
        while (next < requests.length && Date.now() < deadline) {
          const req = requests[next++]!;
          figures.requests += 1;
          try {
            const answer = await send(options.baseUrl, agent, req);
            figures.byStatus[answer.status] = (figures.byStatus[answer.status] ?? 0) + 1;
            if (options.trace?.includes(req.operation.id)) console.log(`${describe(req)}\n  → ${answer.status} ${answer.body.toString('utf8').slice(0, 400)}`);
            const tally = figures.perOperation[req.operation.id]!;
            tally.requests += 1;
            if (answer.status >= 200 && answer.status < 300) tally.succeeded += 1;
            if (answer.status >= 500) figures.serverErrors += 1;
            for (const finding of check(req.operation, answer, [...context.secrets, ...req.secrets])) {
              note({ ...finding, operation: req.operation.id, status: answer.status, request: describe(req) });
            }
          } catch (err) {
            note({ kind: 'no_answer', operation: req.operation.id, status: null, detail: err instanceof Error ? err.message : String(err), request: describe(req) });
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 4 }, lane));
    }
  } finally {
    agent.destroy();
  }
  figures.seconds = (Date.now() - started) / 1000;
  return figures;
}

/** The figures as a few lines for a person: requests, statuses seen, 5xx, findings with their examples. */
export function printableFigures(f: FuzzFigures): string {
  const statuses = Object.entries(f.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const lines = [
    `fuzz: ${f.requests} requests over ${f.operations} operations in ${f.seconds.toFixed(1)} s (seed ${f.seed}, ${(f.requests / Math.max(f.seconds, 0.001)).toFixed(0)} requests/s)`,
    `statuses: ${statuses}`,
    `5xx: ${f.serverErrors}; findings: ${f.findingCount}; operations answered 2xx at least once: ${Object.values(f.perOperation).filter((o) => o.succeeded > 0).length} of ${f.operations}`,
    `never 2xx: ${Object.entries(f.perOperation).filter(([, o]) => o.succeeded === 0).map(([id]) => id).join(', ') || 'none'}`,
    ...f.findings.map((x) => `  - ${x.kind} in ${x.operation} (${x.status ?? 'no answer'}): ${x.detail}\n      request: ${x.request}`),
  ];
  return lines.join('\n');
}
