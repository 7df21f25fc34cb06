/** `npm run build`: bundles the pages' script and stylesheet into the given folder (dist/ui-assets). */
import { resolve } from 'node:path';
import { writeUiAssets } from '../api/ui/assets.ts';

const dir = resolve(process.argv[2] ?? 'dist/ui-assets');
await writeUiAssets(dir);
console.log(`UI assets written to ${dir}`);
