/**
 * Every Temporal dev server we start (`npm run dev`, the tests' server, the drills', the benchmarks') runs with
 * task queue fairness on, as the compose stack's server does: without it the Xero queue's fairness keys are
 * ignored and its rate goes first come, first served.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEV_SERVER_DYNAMIC_CONFIG, devServerArgs } from '../../scripts/temporal-dev-server.ts';

const dynamicConfigValues = (args: string[]) => args.flatMap((arg, i) => (args[i - 1] === '--dynamic-config-value' ? [arg] : []));

describe('the Temporal dev server we start', () => {
  it('has fairness on, whatever else it is given', () => {
    expect(dynamicConfigValues(devServerArgs({ port: 7233 }))).toContain('matching.enableFairness=true');
    const bench = dynamicConfigValues(devServerArgs({ port: 7233, dynamicConfig: { 'history.transferProcessorMaxPollRPS': 1000 } }));
    expect(bench).toContain('matching.enableFairness=true');
    expect(bench).toContain('history.transferProcessorMaxPollRPS=1000');
  });

  it('matches the compose stack: every value the dev servers set is in docker/temporal/dynamicconfig.yaml', () => {
    const compose = parse(readFileSync(new URL('../../docker/temporal/dynamicconfig.yaml', import.meta.url), 'utf8')) as Record<string, Array<{ value: unknown }>>;
    for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) expect(compose[key]?.[0]?.value, key).toBe(value);
  });
});
