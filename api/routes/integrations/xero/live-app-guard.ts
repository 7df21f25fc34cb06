/**
 * The organisation's own Xero app (client id + secret in its settings) cannot be swapped out from under a
 * live connection made with it: a custom connection's token acts on the organisation its client id was set
 * up for (another client id could send this organisation's invoices to another Xero organisation), and an
 * OAuth grant can only be refreshed with the app it was issued to. A new secret for the same client id is
 * fine (secrets are rotated in Xero's portal).
 */
import type { XeroConnectionRow } from '../../../../db/queries/connections.ts';
import type { OrgSettingsRow } from '../../../../db/queries/settings.ts';
import { HttpError } from '../../../errors.ts';

interface AppChange {
  clientId?: string | null;
  clientSecret?: string | null;
}

/** Whether the live connection was made with the organisation's own app as the settings hold it now. */
function usesOwnApp(current: OrgSettingsRow | undefined, connection: XeroConnectionRow | undefined): boolean {
  if (!connection || connection.status === 'disconnected' || !current?.clientId) return false;
  // Rows stored before the app was recorded: a custom connection used the settings' app when there was one.
  if (!connection.appClientId) return connection.authType === 'custom';
  return connection.appClientId === current.clientId;
}

export function refuseSwitchingLiveApp(input: AppChange, current: OrgSettingsRow | undefined, connection: XeroConnectionRow | undefined): void {
  const clientIdChanges = input.clientId !== undefined && (input.clientId ?? null) !== (current?.clientId ?? null);
  const secretRemoved = input.clientSecret === null && !!current?.clientSecretEnc;
  if (!(clientIdChanges || secretRemoved) || !usesOwnApp(current, connection)) return;
  const kind = connection!.authType === 'custom' ? 'The custom connection' : 'The Xero connection (made with your own Xero app)';
  throw new HttpError(
    409,
    'disconnect_first',
    `${kind} is in use: disconnect Xero before changing its client id or removing its secret (a new client secret for the same client id is fine).`,
  );
}
