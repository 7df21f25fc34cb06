/** Test connection: read-only calls to Xero, each check's result, and what to fix. */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { CheckResult, IntegrationCard } from '../lib/types.ts';
import { Badge } from '../components/badge.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';

const CHECK_NAMES: Record<CheckResult['check'], string> = {
  credentials: 'Credentials',
  organisation: 'Xero organisation',
  scopes: 'Permissions',
  currency: 'Currency',
  account_codes: 'Account codes',
  tax_types: 'Tax rates',
  bank_account: 'Bank account',
  revenue_recognition: 'Revenue recognition',
};
const TONES = { pass: 'success', warn: 'warning', fail: 'error', skipped: 'neutral' } as const;
const WORDS = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skipped: 'Skipped' } as const;

export function TestConnection({ api, base, card }: { api: Api; base: string; card: IntegrationCard }) {
  const [result, setResult] = useState<{ ok: boolean; checks: CheckResult[] } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.send<{ ok: boolean; checks: CheckResult[] }>('POST', `${base}/test`));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section id="test" title="Test connection" intro="Read-only calls to Xero that report any credential, permission, organisation or mapping problem: fix them before the sync goes live.">
      <div class="actions">
        <button type="button" class="button secondary" onClick={run} disabled={busy || card.status === 'not_connected'}>
          {busy ? 'Testing\u2026' : 'Test connection'}
        </button>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {result && (
        <div aria-live="polite">
          <Notice tone={result.ok ? 'success' : 'error'} title={result.ok ? 'The connection works' : 'Something needs fixing'} />
          <ul class="checks">
            {result.checks.map((c) => (
              <li key={c.check}>
                <Badge tone={TONES[c.status]}>{WORDS[c.status]}</Badge> <strong>{CHECK_NAMES[c.check]}</strong>: {c.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}
