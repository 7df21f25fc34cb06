/** The service's version (package.json), found from the source tree (api/openapi/) and the build (dist/api/openapi/) alike. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function serviceVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}
