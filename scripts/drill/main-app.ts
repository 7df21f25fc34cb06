/**
 * The main app, as far as the drills need one: an HTTP endpoint for xero-sync's events that checks each
 * signature (lib/platform-signature.ts), records every delivery in arrival order (id, type, organisation,
 * record), and can be "down" (503 to everything) for a while.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLATFORM_SIGNATURE_HEADERS, verifyPlatformSignature } from '../../lib/platform-signature.ts';

export interface ReceivedEvent {
  id: string;
  type: string;
  orgId: string;
  data: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface EventCounts {
  /** Deliveries accepted (a repeat of an id counts again). */
  sent: number;
  distinct: number;
  /** Deliveries of an id already received: allowed (at least once), as long as it is the same id. */
  repeated: number;
}

export interface MainApp {
  url: string;
  /** Every accepted delivery, in arrival order. */
  deliveries: ReceivedEvent[];
  /** Deliveries refused while down. */
  refusedWhileDown: number;
  badSignatures: number;
  setDown(down: boolean): void;
  counts(orgIds: Iterable<string>): EventCounts;
  close(): Promise<void>;
}

export async function startMainApp(secret: string): Promise<MainApp> {
  let down = false;
  const app: MainApp = {
    url: '',
    deliveries: [],
    refusedWhileDown: 0,
    badSignatures: 0,
    setDown: (value) => {
      down = value;
    },
    counts(orgIds) {
      const wanted = new Set(orgIds);
      const mine = app.deliveries.filter((d) => wanted.has(d.orgId));
      const distinct = new Set(mine.map((d) => d.id)).size;
      return { sent: mine.length, distinct, repeated: mine.length - distinct };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        app.refusedWhileDown += 1;
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks);
      const header = (name: string) => req.headers[name.toLowerCase()] as string | undefined;
      if (!verifyPlatformSignature({ secret, body, timestamp: header(PLATFORM_SIGNATURE_HEADERS.timestamp), signature: header(PLATFORM_SIGNATURE_HEADERS.signature) })) {
        app.badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body.toString('utf8')) as Omit<ReceivedEvent, 'at'>;
      app.deliveries.push({ id: event.id, type: event.type, orgId: event.orgId, data: event.data, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xero-sync/events`;
  return app;
}
