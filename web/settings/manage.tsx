/**
 * Manage: every setting and mapping. The pickers offer the Xero organisation's own accounts, tax rates
 * and currencies (read once when the section opens); what is saved is checked by the API against Xero
 * again, and its messages appear beside the field they are about.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api.ts';
import { isMissingRoute } from '../lib/api.ts';
import type { IntegrationCard, OrgMappings, SettingsAnswer, XeroChoices } from '../lib/types.ts';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { ChoiceLists } from './choice-lists.tsx';
import { MappingTable } from './mapping-table.tsx';
import { OwnApp } from './own-app.tsx';
import { SettingsForm } from './settings-form.tsx';

export function Manage({ api, base, card, onChange }: { api: Api; base: string; card: IntegrationCard; onChange: () => void }) {
  const [settings, setSettings] = useState<SettingsAnswer | undefined>();
  const [mappings, setMappings] = useState<OrgMappings | undefined>();
  const [choices, setChoices] = useState<XeroChoices | undefined>();
  const [choicesError, setChoicesError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const connected = card.status === 'connected';

  const load = async () => {
    try {
      const [s, m] = await Promise.all([api.get<SettingsAnswer>(`${base}/settings`), api.get<OrgMappings>(`${base}/mappings`)]);
      setSettings(s);
      setMappings(m);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void load(), []);
  useEffect(() => {
    if (!connected) return setChoices(undefined);
    api.get<XeroChoices>(`${base}/choices`).then(setChoices, setChoicesError);
  }, [connected]);

  return (
    <Section id="manage" title="Manage" intro="What syncs and how. Empty fields use this deployment's defaults (shown in each field).">
      {error ? (
        <ErrorNotice error={error} what="Settings" />
      ) : !settings || !mappings ? (
        <p class="loading">Loading…</p>
      ) : (
        <>
          {!connected && <Notice tone="info">Connect Xero to pick accounts, tax rates and currencies from your Xero organisation; until then codes are saved as typed and checked once connected.</Notice>}
          {choicesError && !isMissingRoute(choicesError) ? <ErrorNotice error={choicesError} what="Your Xero accounts and tax rates" /> : null}
          <ChoiceLists choices={choices} />
          <SettingsForm api={api} base={base} settings={settings} choices={choices} onSaved={setSettings} />
          <MappingTable
            api={api}
            base={base}
            kind="serviceAccounts"
            title="Service → account"
            intro="Each platform service's invoice lines post to this Xero account; unmapped services use the default revenue account."
            codeLabel="Platform service code"
            xeroLabel="Xero account code"
            listId="line-accounts"
            mappings={mappings}
            onSaved={setMappings}
          />
          <MappingTable
            api={api}
            base={base}
            kind="taxTypes"
            title="Tax rates"
            intro="Pair the platform's tax codes with Xero's tax rates so VAT/GST is recorded correctly."
            codeLabel="Platform tax code"
            xeroLabel="Xero tax rate"
            listId="sales-tax-rates"
            mappings={mappings}
            onSaved={setMappings}
          />
          <MappingTable
            api={api}
            base={base}
            kind="trackingCategories"
            title="Tracking categories"
            intro="A line's dimension (such as its region) is recorded under this Xero tracking category, with the line's value as the option."
            codeLabel="Platform dimension"
            xeroLabel="Xero tracking category name"
            mappings={mappings}
            onSaved={setMappings}
          />
          <MappingTable
            api={api}
            base={base}
            kind="serviceItems"
            title="Service → item"
            intro="Lines of this platform service carry this Xero item code, so Xero's sales reports group them by item."
            codeLabel="Platform service code"
            xeroLabel="Xero item code"
            mappings={mappings}
            onSaved={setMappings}
          />
          <OwnApp api={api} base={base} settings={settings} card={card} onSaved={(s) => (setSettings(s), onChange())} />
        </>
      )}
    </Section>
  );
}
