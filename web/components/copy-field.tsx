import { useState } from 'preact/hooks';

/** A value to paste elsewhere (the redirect URI into the Xero app), read-only, with a copy button. */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard access (an iframe without permission, plain http): select it for Ctrl+C instead.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };
  return (
    <div class="field copy-field">
      <label for={id}>{label}</label>
      <div class="inline">
        <input id={id} type="text" readOnly value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button secondary" onClick={copy} aria-describedby={`${id}-copied`}>
          Copy
        </button>
      </div>
      <span id={`${id}-copied`} class="hint" aria-live="polite">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Selected: press Ctrl+C (\u2318C) to copy.' : ''}
      </span>
    </div>
  );
}
