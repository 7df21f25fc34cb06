/** After a consent that covered several Xero organisations: which one this organisation syncs with. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { IntegrationCard, PickInput, TenantsAnswer } from '../lib/types.ts';
import { ErrorNotice, Notice } from '../components/notice.tsx';

export function TenantPicker({ api, base, onPicked }: { api: Api; base: string; onPicked: () => void }) {
  const [tenants, setTenants] = useState<TenantsAnswer['tenants'] | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  const [chosen, setChosen] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.get<TenantsAnswer>(`${base}/tenants`).then((a) => setTenants(a.tenants), setLoadError);
  }, []);

  const pick = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return setError('Choose one of the Xero organisations.');
    setBusy(true);
    setError(undefined);
    try {
      const body: PickInput = { tenantId: chosen };
      await api.send<IntegrationCard>('POST', `${base}/tenant`, body);
      onPicked();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <ErrorNotice error={loadError} what="The Xero organisations" />;
  if (!tenants) return <p class="loading">Loading the Xero organisations…</p>;
  return (
    <form onSubmit={pick} class="picker">
      <fieldset>
        <legend>Which Xero organisation should this organisation sync with?</legend>
        {tenants.map((t) => (
          <div class="radio" key={t.tenantId}>
            <input type="radio" name="tenant" id={`tenant-${t.tenantId}`} value={t.tenantId} disabled={t.linkedElsewhere} checked={chosen === t.tenantId} onChange={() => setChosen(t.tenantId)} />
            <label for={`tenant-${t.tenantId}`}>
              {t.tenantName ?? t.tenantId}
              {t.linkedElsewhere && <span class="hint"> (already linked to another organisation on this platform)</span>}
            </label>
          </div>
        ))}
      </fieldset>
      {error && <Notice tone="error">{error}</Notice>}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Connecting\u2026' : 'Use this organisation'}
        </button>
      </div>
      <p class="hint">The other organisations of your consent are disconnected from the app at Xero.</p>
    </form>
  );
}
