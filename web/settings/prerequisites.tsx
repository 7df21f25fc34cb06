/**
 * What to prepare before connecting, each with whether it is done: a Xero account, a Xero app, the
 * redirect URI and webhook URL to paste into it (with copy buttons), and the deployment's environment
 * by name (secrets only as set or not set).
 */
import type { SetupAnswer } from '../lib/types.ts';
import { Badge } from '../components/badge.tsx';
import { CopyField } from '../components/copy-field.tsx';
import { Section } from '../components/section.tsx';

export function Prerequisites({ setup }: { setup: SetupAnswer }) {
  const done = setup.checklist.filter((s) => s.done).length;
  return (
    <Section id="prerequisites" title="Prerequisites" intro={`${done} of ${setup.checklist.length} done.`}>
      <ol class="checklist">
        {setup.checklist.map((step) => (
          <li key={step.id} class={step.done ? 'done' : 'todo'}>
            <Badge tone={step.done ? 'success' : 'neutral'}>{step.done ? 'Done' : 'To do'}</Badge> <strong>{step.title}</strong>
            <p class="hint">{step.detail}</p>
          </li>
        ))}
      </ol>
      <div class="copy-grid">
        {setup.redirectUri ? (
          <CopyField id="redirect-uri" label="Redirect URI (paste into your Xero app: Configuration > Redirect URIs)" value={setup.redirectUri} />
        ) : (
          <p>No redirect URI: the deployment has no XERO_REDIRECT_URI.</p>
        )}
        <CopyField id="webhook-url" label="Webhook URL (paste into your Xero app: Webhooks; its signing key goes into XERO_WEBHOOK_KEY)" value={setup.webhookUrl} />
      </div>
      <details>
        <summary>Environment this deployment runs with</summary>
        <table class="env">
          <caption>Environment variables (secrets show only whether they are set)</caption>
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Value</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {setup.environment.map((v) => (
              <tr key={v.name}>
                <th scope="row">
                  <code>{v.name}</code>
                </th>
                <td>{v.secret ? <Badge tone={v.set ? 'success' : 'neutral'}>{v.set ? 'set' : 'not set'}</Badge> : v.set ? <code>{v.value}</code> : <span class="hint">not set</span>}</td>
                <td>{v.meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Section>
  );
}
