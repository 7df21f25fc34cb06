/**
 * Names an admin maps or chooses (tracking categories, items, a branding theme) checked against the
 * connected Xero organisation, so a typo is refused now with the valid choices listed. Xero would refuse an
 * unknown item or theme on every invoice later, and silently drop an unknown tracking category.
 */
import type { FieldError } from '../../../errors.ts';
import type { XeroReader } from '../../../../xero/reads.ts';

const MAX_CHOICES = 40;
const listChoices = (choices: string[]) =>
  choices.length === 0 ? 'none found in Xero' : choices.slice(0, MAX_CHOICES).join(', ') + (choices.length > MAX_CHOICES ? ` and ${choices.length - MAX_CHOICES} more` : '');
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** platform dimension → Xero category name: each an ACTIVE category, no category mapped twice (Xero has at most two active). */
export async function trackingMappingProblems(reader: XeroReader, mapping: Record<string, string>): Promise<FieldError[]> {
  if (Object.keys(mapping).length === 0) return [];
  const categories = await reader.trackingCategories();
  const problems: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const [dimension, name] of Object.entries(mapping)) {
    const path = `body.trackingCategories.${dimension}`;
    const category = categories.find((c) => same(c.name, name));
    if (!category) {
      problems.push({ path, message: `'${name}' is not an active tracking category in the connected Xero organisation. Active categories: ${listChoices(categories.map((c) => c.name))}` });
      continue;
    }
    const other = seen.get(category.name);
    if (other) problems.push({ path, message: `Xero's category '${category.name}' is already mapped from '${other}': a line can carry one option per category` });
    seen.set(category.name, dimension);
  }
  return problems;
}

/** service code → Xero item code: an item Xero sells (invoice and credit note lines are sales). */
export async function serviceItemProblems(reader: XeroReader, mapping: Record<string, string>): Promise<FieldError[]> {
  if (Object.keys(mapping).length === 0) return [];
  const sold = (await reader.items()).filter((i) => i.isSold);
  return Object.entries(mapping).flatMap(([service, code]) =>
    sold.some((i) => same(i.code, code))
      ? []
      : [{ path: `body.serviceItems.${service}`, message: `Item code '${code}' is not an item sold in the connected Xero organisation. Sold items: ${listChoices(sold.map((i) => (i.name ? `${i.code} (${i.name})` : i.code)))}` }],
  );
}

export async function checkBrandingTheme(reader: XeroReader, id: string): Promise<string | undefined> {
  const themes = await reader.brandingThemes();
  if (themes.some((t) => t.id.toLowerCase() === id.toLowerCase())) return undefined;
  return `Branding theme '${id}' is not one of the organisation's branding themes in Xero. Themes: ${listChoices(themes.map((t) => `${t.name} (${t.id})`))}`;
}
