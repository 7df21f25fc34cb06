/**
 * "Use our own Xero app": the organisation's client id, and its client secret, which is write-only:
 * the page only ever knows whether one is set; it can be replaced or removed, never shown.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { IntegrationCard, SettingsAnswer, SettingsInput } from '../lib/types.ts';
import { Badge } from '../components/badge.tsx';
import { Field } from '../components/field.tsx';
import { Notice } from '../components/notice.tsx';

export function OwnApp({ api, base, settings, card, onSaved }: { api: Api; base: string; settings: SettingsAnswer; card: IntegrationCard; onSaved: (s: SettingsAnswer) => void }) {
  const [clientId, setClientId] = useState(settings.clientId ?? '');
  const [replacing, setReplacing] = useState(!settings.clientSecretSet);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const put = async (body: SettingsInput, done: string) => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const answer = await api.send<SettingsAnswer>('PUT', `${base}/settings`, body);
      setSecret('');
      setReplacing(!answer.clientSecretSet);
      setClientId(answer.clientId ?? '');
      setSaved(done);
      onSaved(answer);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    const body: SettingsInput = {};
    if (clientId.trim() !== (settings.clientId ?? '')) body.clientId = clientId.trim() || null;
    if (replacing && secret) body.clientSecret = secret;
    if (Object.keys(body).length === 0) return setSaved('Nothing changed.');
    void put(body, 'Saved. Connect (or reconnect) to use it.');
  };

  return (
    <form class="own-app" onSubmit={save} noValidate aria-labelledby="own-app-title">
      <h3 id="own-app-title">Your own Xero app</h3>
      <p class="hint">
        Optional. Create a Web app at developer.xero.com (redirect URI: see Prerequisites), then paste its client id and secret here and press Connect.
        {card.status === 'connected' && card.authType === 'custom' ? ' Disconnect before changing the client id of a live Custom Connection.' : ''}
      </p>
      <Field id="own-client-id" label="Client ID" error={error?.field('body.clientId')}>
        {(aria) => <input {...aria} type="text" class="mono" autoComplete="off" value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />}
      </Field>
      {settings.clientSecretSet && (
      <div class="field">
        <span class="label">Client secret</span> <Badge tone="success">set</Badge>
        {!replacing && (
          <div class="actions">
            <button type="button" class="button secondary" onClick={() => setReplacing(true)}>
              Replace secret
            </button>
            <button type="button" class="button link" disabled={busy} onClick={() => put({ clientSecret: null }, 'Client secret removed.')}>
              Remove secret
            </button>
          </div>
        )}
      </div>
      )}
      {replacing && (
        <Field id="own-client-secret" label={settings.clientSecretSet ? 'New client secret' : 'Client secret'} hint="Stored encrypted; never shown again." error={error?.field('body.clientSecret')}>
          {(aria) => <input {...aria} type="password" autoComplete="new-password" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />}
        </Field>
      )}
      {error && <Notice tone="error" title="Not saved">{error.message}</Notice>}
      {saved && <Notice tone="success">{saved}</Notice>}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving\u2026' : 'Save Xero app'}
        </button>
      </div>
    </form>
  );
}
