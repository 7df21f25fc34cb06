/** `npm run api`: the HTTP API alone, against external Postgres and Temporal (production). */
import type { Server } from 'node:http';
import { ConfigError, loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { createDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { buildApi } from './build.ts';
import { exitOnConfigError, isMainModule, onShutdownSignal, reaching } from '../config/process.ts';

export async function startApiServer(env = loadEnv(), logger = createLogger({ level: env.LOG_LEVEL, name: 'api' })) {
  const database = createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE });
  await reaching('PostgreSQL', 'DATABASE_URL', () => applyMigrations(database));
  const api = await buildApi({ env, db: database.db, logger });
  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a listen error to this callback (EADDRINUSE: someone else has the port).
    const s = api.app.listen(env.API_PORT, env.API_HOST, (err?: NodeJS.ErrnoException) => {
      if (!err) resolve(s);
      else reject(err.code === 'EADDRINUSE' ? new ConfigError(`API_PORT: ${env.API_HOST}:${env.API_PORT} is already in use (stop what listens there, or set API_PORT)`) : err);
    });
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.API_PORT;
  logger.info({ url: `http://${env.API_HOST}:${port}` }, 'API listening');
  // A single-organisation deployment: its custom connection is linked without anyone calling /connect.
  api.envConnection.start();
  return {
    url: `http://${env.API_HOST}:${port}`,
    async stop() {
      api.envConnection.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await api.close();
      await database.close();
    },
  };
}

if (isMainModule(import.meta.url)) {
  try {
    const server = await startApiServer();
    onShutdownSignal(() => server.stop());
  } catch (err) {
    exitOnConfigError(err);
  }
}
