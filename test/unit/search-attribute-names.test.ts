/** docker-compose registers the very search attributes the workflows upsert: one list, checked against the other. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { orgSearchAttributes } from '../../workflows/search-attributes.ts';

it("docker/temporal/register-namespace.sh registers OrgId, XeroTenantId, ConnectionState and SyncPhase, as Keyword", () => {
  const script = readFileSync(new URL('../../docker/temporal/register-namespace.sh', import.meta.url), 'utf8');
  const listed = /^SEARCH_ATTRIBUTES="([^"]*)"/m.exec(script)?.[1]?.split(/\s+/);
  expect(listed).toEqual(orgSearchAttributes.map((key) => key.name));
  expect(listed).toEqual(['OrgId', 'XeroTenantId', 'ConnectionState', 'SyncPhase']);
  expect(orgSearchAttributes.every((key) => key.type === 'KEYWORD')).toBe(true);
  expect(script).toMatch(/--type Keyword/);
});
