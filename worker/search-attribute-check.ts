/**
 * At start-up, before any workflow task runs: the namespace must have the workflows' custom search attributes.
 * Without them every upsert fails its workflow task (the organisation's workflow would stall, retrying, with the
 * reason visible only in the Web UI), and `signalWithStart` with them is refused: better one line now, naming
 * the missing attribute and the command that adds it.
 */
import type { NativeConnection } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { ConfigError } from '../config/env.ts';
import { orgSearchAttributes } from '../workflows/search-attributes.ts';

/** The command that registers one attribute on a real server (docker-compose's temporal-namespace step runs it). */
export function createCommand(name: string, namespace: string): string {
  return `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`;
}

/** What is wrong with the namespace's search attributes, one problem per attribute; empty when all is well. */
export function searchAttributeProblems(registered: Record<string, number>, namespace: string): string[] {
  const problems: string[] = [];
  for (const key of orgSearchAttributes) {
    const type = registered[key.name];
    const wanted = encodeSearchAttributeIndexedValueType(key.type);
    if (type === undefined) {
      problems.push(`search attribute ${key.name} is missing from namespace ${namespace}: add it with \`${createCommand(key.name, namespace)}\``);
    } else if (type !== wanted) {
      problems.push(`search attribute ${key.name} in namespace ${namespace} is not of type Keyword: remove it and add it with \`${createCommand(key.name, namespace)}\``);
    }
  }
  return problems;
}

export async function checkSearchAttributes(connection: NativeConnection, namespace: string): Promise<void> {
  const answer = await connection.operatorService.listSearchAttributes({ namespace });
  const registered: Record<string, number> = {};
  for (const [name, type] of Object.entries(answer.customAttributes ?? {})) registered[name] = Number(type);
  const problems = searchAttributeProblems(registered, namespace);
  // npm run dev and the test setup start the dev server with them; docker-compose registers them at start.
  if (problems.length > 0) throw new ConfigError(`TEMPORAL_NAMESPACE: ${problems.join('; ')}`);
}
