// postgres.js 3.4.9 defers small writes to a setImmediate. When a connection dies under a transaction
// (PostgreSQL killed, a backend terminated), the transaction sends its own ROLLBACK on it: written after the
// close, that deferred write dereferences the socket `closed()` has set to null, a TypeError thrown from a
// timer that no caller can catch, and the worker or the API process exits (upstream: porsager/postgres#1066,
// #1154, #1208; no release has a fix). Written between the socket's error and its close, the ROLLBACK stays
// queued as sent, and the connection's next user (after the reconnect) waits behind an answer that never
// comes. This patches the installed driver, once, idempotently:
//   - execute() on a connection with no socket fails the query at once (CONNECTION_CLOSED), writing nothing,
//     and answers true so that the pool leaves the connection among the closed ones, to be reconnected;
//   - closed() fails whatever was sent on the dead socket, and forgets its buffered bytes, its timer (as
//     terminate() now does too) and its last ErrorResponse (a FATAL "terminating connection" would otherwise
//     fail the first query after the reconnect);
//   - nextWrite() with no socket drops the bytes and fails what was sent, instead of throwing.
// The transaction itself has already failed with CONNECTION_CLOSED: the caller retries it as before.
// `npm install` runs this (postinstall); the Dockerfile runs it after `npm ci --ignore-scripts`.
// test/integration/database-connection-loss.test.ts fails without it.
import console from 'node:console';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const MARKER = '/* xero-sync: closed-socket guard */';
const VERSION = '3.4.9';
// A direct dependency: npm installs it at the top of node_modules.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const CLOSED = "Errors.connection('CONNECTION_CLOSED', options)";
const edits = [
  {
    from: "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
    to: `  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n    ${MARKER}\n    if (!socket)\n      return queryError(q, ${CLOSED}), true\n`,
  },
  {
    from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
    to: `  function nextWrite(fn) {\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      query && queryError(query, ${CLOSED})\n      query = null\n      while (sent.length) queryError(sent.shift(), ${CLOSED})\n      return true\n    }\n    const x = socket.write(chunk, fn)\n`,
  },
  // terminate() and closed(): the only two places that clear the timer without forgetting it.
  { from: '    clearImmediate(nextWriteTimer)\n', to: '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n', count: 2 },
  {
    from: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    to: `    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    while (sent.length) queryError(sent.shift(), ${CLOSED})\n    query = errorResponse = null\n`,
  },
];

let patched = 0;
for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((f) => join(root, f))) {
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARKER)) continue;
  if (version !== VERSION) {
    console.error(`scripts/patch-postgres.mjs: postgres ${version} is installed, the patch is for ${VERSION}: check whether that release guards nextWrite against a closed socket, then update or remove this script`);
    process.exit(1);
  }
  for (const edit of edits) {
    const found = text.split(edit.from).length - 1;
    if (found !== (edit.count ?? 1)) {
      console.error(`scripts/patch-postgres.mjs: ${file} does not read as postgres ${VERSION} does (expected ${edit.count ?? 1} of ${JSON.stringify(edit.from)}, found ${found})`);
      process.exit(1);
    }
    text = text.split(edit.from).join(edit.to);
  }
  writeFileSync(file, text);
  patched += 1;
}
if (patched > 0) console.log(`scripts/patch-postgres.mjs: postgres ${version} patched (closed-socket guard) in ${patched} file(s)`);
