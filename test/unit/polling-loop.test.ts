/**
 * The worker's background loops (the relay, the outbox): a database outage is said once, at warn, with the
 * driver's words and not the query, and its end once; any other failure is an error every time. Found by
 * `npm run drill -- --only postgres-kill`, whose worker logged the outbox's whole query at error level every
 * second while PostgreSQL was down.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startPollingLoop } from '../../worker/relay-loop.ts';

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const refused = () =>
  Object.assign(new Error('Failed query: select secret_column from t where org_id = $1\nparams: org-42'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  });

/** Runs the loop until `outcomes` are used up (each pass takes the next), then stops it. */
async function runPasses(outcomes: Array<'refused' | 'broken' | 'ok'>) {
  const { logger, lines } = capturingLogger();
  let pass = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const loop = startPollingLoop({
    name: 'outbox',
    intervalMs: 1,
    logger,
    pass: async () => {
      const outcome = outcomes[pass++];
      if (pass >= outcomes.length) finished();
      if (outcome === 'refused') throw refused();
      if (outcome === 'broken') throw new Error('relation "outbound_events" does not exist');
      return false;
    },
  });
  await done;
  await loop.stop();
  return lines;
}

describe('a background loop while the database is away', () => {
  it('warns once when it goes, says once when it is back, and never logs the query', async () => {
    const lines = await runPasses(['ok', 'refused', 'refused', 'refused', 'ok', 'ok']);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ loop: 'outbox', reason: 'connect ECONNREFUSED 127.0.0.1:5432', msg: 'background pass: the database is unavailable; retrying every interval' });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'background pass: the database is reachable again')).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toMatch(/secret_column|org-42/);
  });

  it('logs any other failure as an error, every time', async () => {
    const lines = await runPasses(['broken', 'broken', 'ok']);
    expect(lines.filter((l) => l.level === 50 && l.msg === 'background pass failed; retrying next interval')).toHaveLength(2);
  });
});
