/**
 * One benchmark organisation: a fresh Xero organisation in the sandbox reached through a custom connection,
 * and the platform's records as an import leaves them (set-based intake, as the batch API does), all pending.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { upsertContacts } from '../../db/queries/contacts.ts';
import { upsertInvoices } from '../../db/queries/invoices.ts';
import { orgSettings, organisations, xeroConnections } from '../../db/schema/index.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import type { SandboxProcess } from './sandbox-process.ts';

export interface BenchOrganisation {
  orgId: string;
  tenantId: string;
  contacts: number;
  invoices: number;
  /** The connection appears, as a connect would leave it: the organisation's workflow may call Xero now. */
  connect(): Promise<void>;
}

const CHUNK = 1_000;

export async function seedOrganisation(
  { db }: Database,
  sandbox: SandboxProcess,
  secrets: SecretBox,
  { contacts, invoices }: { contacts: number; invoices: number },
): Promise<BenchOrganisation> {
  const orgId = `bench-${randomBytes(4).toString('hex')}`;
  const { tenantId } = await sandbox.createOrganisation({ name: `Bench Association ${orgId}` });
  const client = await sandbox.registerClient({ kind: 'custom', tenantIds: [tenantId] });
  await db.insert(organisations).values({ id: orgId });
  // Pushes are what is measured: online invoice links (one more call per approved invoice) are left out.
  await db
    .insert(orgSettings)
    .values({ orgId, clientId: client.clientId, clientSecretEnc: secrets.encrypt(client.clientSecret, `client_secret:${orgId}`), onlineInvoiceLinks: false });

  for (let start = 0; start < contacts; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, contacts - start) }, (_, i) => start + i);
    await db.transaction((tx) =>
      upsertContacts(tx, { orgId, items: ids.map((i) => ({ id: `m${i}`, contact: { name: `Member ${i}`, email: `m${i}@example.org` } })) }),
    );
  }
  for (let start = 0; start < invoices; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, invoices - start) }, (_, i) => start + i);
    await db.transaction((tx) =>
      upsertInvoices(tx, {
        orgId,
        items: ids.map((i) => ({
          id: `i${i}`,
          invoice: {
            contactId: `m${i % contacts}`,
            number: `INV-${i}`,
            date: '2026-11-01',
            dueDate: '2026-11-30',
            lines: [{ description: 'Annual membership', quantity: '1', unitAmount: '120.00' }],
          },
        })),
      }),
    );
  }
  return {
    orgId,
    tenantId,
    contacts,
    invoices,
    connect: async () => {
      await db
        .insert(xeroConnections)
        .values({ orgId, authType: 'custom', status: 'connected', xeroTenantId: tenantId, xeroTenantName: 'Bench Association', connectedAt: new Date() });
    },
  };
}
