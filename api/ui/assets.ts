/**
 * The pages' script and stylesheet, bundled from web/ by esbuild: once when the process starts (from
 * source, in dev and tests: about a tenth of a second, no build step for anyone), or read from
 * `dist/ui-assets/` where `npm run build` wrote them. Names carry a content hash, so they are cached forever.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import type { PageName } from './boot.ts';
import { ASSETS_PATH } from './paths.ts';

export interface UiAssets {
  stylesheet: string;
  scriptFor(page: PageName): string;
  serve: RequestHandler;
}

interface Manifest {
  stylesheet: string;
  scripts: Record<PageName, string>;
}

interface BuiltFile {
  name: string;
  contents: Uint8Array;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES: Record<PageName | 'styles', string> = {
  settings: 'web/settings/main.tsx',
  console: 'web/console/main.tsx',
  styles: 'web/styles.css',
};
/** Where `npm run build` leaves them, beside the compiled server (dist/api/ui → dist/ui-assets). */
const PREBUILT_DIR = join(root, 'ui-assets');

/** Bundles web/ into memory. */
export async function bundleUi(): Promise<{ files: BuiltFile[]; manifest: Manifest }> {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(root, path)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['chrome111', 'firefox111', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    // Nothing is written (write: false); esbuild names the outputs relative to this.
    outdir: join(root, '.ui-assets'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const url = (file: string) => `${ASSETS_PATH}/${basename(file)}`;
  const byEntry = new Map(Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint).map(([file, o]) => [o.entryPoint!, file]));
  const output = (entry: string) => {
    const file = byEntry.get(entry);
    if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
    return url(file);
  };
  const manifest: Manifest = {
    stylesheet: output(ENTRIES.styles),
    scripts: { settings: output(ENTRIES.settings), console: output(ENTRIES.console) },
  };
  return { files: result.outputFiles.map((f) => ({ name: basename(f.path), contents: f.contents })), manifest };
}

function readPrebuilt(): { files: BuiltFile[]; manifest: Manifest } {
  const manifest = JSON.parse(readFileSync(join(PREBUILT_DIR, 'manifest.json'), 'utf8')) as Manifest;
  const names = readdirSync(PREBUILT_DIR).filter((name) => name !== 'manifest.json');
  return { manifest, files: names.map((name) => ({ name, contents: readFileSync(join(PREBUILT_DIR, name)) })) };
}

/** `npm run build`: the bundle on disk, with the manifest the server reads. */
export async function writeUiAssets(dir: string): Promise<void> {
  const { files, manifest } = await bundleUi();
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.name), file.contents);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let loaded: Promise<UiAssets> | undefined;

/** The assets, built once per process (every API of a test run shares them). */
export function loadUiAssets(): Promise<UiAssets> {
  loaded ??= (async () => {
    const { files, manifest } = existsSync(join(PREBUILT_DIR, 'manifest.json')) ? readPrebuilt() : await bundleUi();
    const byName = new Map(files.map((f) => [f.name, f]));
    return {
      stylesheet: manifest.stylesheet,
      scriptFor: (page) => manifest.scripts[page],
      serve: (req, res, next) => {
        const file = byName.get(String(req.params.file));
        if (!file) return next();
        const type = TYPES[file.name.slice(file.name.lastIndexOf('.'))] ?? 'application/octet-stream';
        res.set({ 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' });
        res.send(Buffer.from(file.contents));
      },
    };
  })();
  return loaded;
}
