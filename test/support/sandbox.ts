/**
 * The Xero sandbox for tests that exercise our own code against it: every Accounting request is checked
 * against Xero's OpenAPI spec (`validateRequests`), and when the test file ends it fails if any request
 * our code sent did not conform, listing each one (which test, which request, what the spec says).
 */
import { afterAll, expect } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions, type SpecViolation } from '../../sandbox/index.ts';
import { rememberSecret, xeroSidePorts } from './secret-audit.ts';

interface Started {
  sandbox: Sandbox;
  /** Which test was running when each violation (by seq) was seen. */
  testOf: Map<number, string>;
}

const started: Started[] = [];

/** A readable list of violations, one block each. */
export function describeSpecViolations(violations: SpecViolation[], testOf: Map<number, string> = new Map()): string {
  return violations.map((v) => {
    const where = `${v.method} ${v.path}${v.query ? `?${v.query}` : ''}${v.template ? ` (spec: ${v.method} ${v.template})` : ''}`;
    const lines = [`#${v.seq} ${where}${testOf.has(v.seq) ? ` during "${testOf.get(v.seq)}"` : ''}${v.rejected ? ' [rejected 400]' : ''}`];
    for (const error of v.errors) lines.push(`    - ${error}`);
    if (v.bodyExcerpt) lines.push(`    body: ${v.bodyExcerpt}`);
    return lines.join('\n');
  }).join('\n');
}

// Registered when a test file first imports this module, so it belongs to the file's root suite and runs
// after the file's own afterAll hooks (vitest runs them in reverse order): every sandbox the file started
// is checked, including ones already closed.
afterAll(() => {
  const problems = started.flatMap(({ sandbox, testOf }) => {
    const violations = sandbox.control.specViolations();
    return violations.length > 0 ? [`sandbox ${sandbox.url}:\n${describeSpecViolations(violations, testOf)}`] : [];
  });
  started.length = 0;
  if (problems.length > 0) {
    throw new Error(`Requests to the Xero sandbox that do not conform to Xero's OpenAPI spec (sandbox/openapi/xero_accounting.yaml):\n${problems.join('\n')}`);
  }
});

/**
 * `startSandbox` with request validation on (default `'record'`: the request is still handled, so the test
 * goes on and the file fails at the end with the full list). Pass `validateRequests: 'reject'` to have the
 * sandbox answer 400 instead.
 */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const testOf = new Map<number, string>();
  const onSpecViolation = options.onSpecViolation;
  const sandbox = await startSandbox({
    validateRequests: 'record',
    ...options,
    // What Xero hands out is a secret of ours once we hold it: the audit looks for every one after the run.
    onSecretIssued: (kind, value) => {
      rememberSecret(`Xero ${kind}`, value);
      options.onSecretIssued?.(kind, value);
    },
    onSpecViolation: (violation) => {
      const test = expect.getState().currentTestName;
      if (test) testOf.set(violation.seq, test);
      onSpecViolation?.(violation);
    },
  });
  if (sandbox.control.requestValidation === 'off') throw new Error('startTestSandbox: validateRequests cannot be turned off here; use startSandbox');
  started.push({ sandbox, testOf });
  xeroSidePorts.add(Number(new URL(sandbox.url).port));
  return sandbox;
}
