/**
 * Where a worker's JavaScript time went, from the V8 CPU profiles `--cpu-prof` writes (one per thread: the
 * main thread, the workflow thread, tsx's loader). Each sample is charged to the nearest frame, from the
 * leaf up, that belongs to a package or to our own code, so `JSON.stringify` called by xero-node counts as
 * xero-node, and a socket write issued by postgres.js as postgres.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Packages grouped by what they do for a batch. */
const GROUPS: Array<[string, RegExp]> = [
  ['xero-node (models, (de)serialisation)', /^xero-node$/],
  ['HTTP client (axios, for xero-node)', /^(axios|follow-redirects|form-data|proxy-from-env|combined-stream|asynckit|mime-types|mime-db)$/],
  ['drizzle-orm (query building, rows)', /^drizzle-orm$/],
  ['postgres.js (wire protocol, sockets)', /^postgres$/],
  ['Temporal SDK (worker, core bridge, protobuf)', /^(@temporalio\/.*|protobufjs|@protobufjs\/.*|long|@grpc\/.*|nexus-rpc|rxjs|uuid|ms|heap-js|abort-controller)$/],
  ['logging (pino)', /^(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify)$/],
  ['module loading (tsx, esbuild)', /^(tsx|esbuild|get-tsconfig|resolve-pkg-maps)$/],
];

function groupOf(url: string, roots: string[]): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/deps/cjs-module-lexer')) return 'module loading (tsx, esbuild)';
  if (url.startsWith('node:')) return undefined;
  if (url.includes('workflow-bundle') || url.startsWith('evalmachine')) return 'workflow code (bundle, in its isolate)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return GROUPS.find(([, re]) => re.test(pkg))?.[0] ?? `other packages`;
  const root = roots.find((r) => url.includes(r));
  const own = root ? url.slice(url.indexOf(root) + root.length).split('/')[0] : undefined;
  if (own) return `our code: ${own}/`;
  return 'other';
}

/** Milliseconds per group over every profile in `dir` and below (idle time left out). */
/** `roots`: where our own code lives (the sources, and the build the worker runs from). */
export function summariseProfiles(dir: string, roots: string[]): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (group: string, us: number) => totals.set(group, (totals.get(group) ?? 0) + us / 1000);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const sampled = new Map<number, number>();
    profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const groupCache = new Map<number, string>();
    for (const [id, us] of sampled) {
      const leaf = byId.get(id)!;
      const name = leaf.callFrame.functionName;
      if (name === '(idle)' || name === '(root)') continue;
      if (name === '(garbage collector)') add('garbage collector', us);
      else if (name === '(program)') add('V8 / native (program)', us);
      else {
        let group = groupCache.get(id);
        if (!group) {
          for (let n: ProfileNode | undefined = leaf; n && !group; n = byId.get(parent.get(n.id) ?? -1)) group = groupOf(n.callFrame.url, roots);
          group ??= 'node internals (sockets, timers, streams)';
          groupCache.set(id, group);
        }
        add(group, us);
      }
    }
  }
  return totals;
}
