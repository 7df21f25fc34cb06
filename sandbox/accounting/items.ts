/**
 * Items (Xero's products and services). A line that names an `ItemCode` the organisation does not have is a
 * validation error; one that names a known item takes the item's defaults for what it leaves out: on a sales
 * document its sales description and SalesDetails (UnitPrice, AccountCode, TaxType), on a purchase document its
 * purchase description and PurchaseDetails. An item that is not sold (or not purchased) has no details on that side.
 */
import { randomUUID } from 'node:crypto';
import { round } from '../money.ts';
import { msDate } from '../xero-dates.ts';
import { everydayTaxTypes } from './chart.ts';
import { compact } from './fields.ts';
import type { Books, Item, ItemDetails } from './records.ts';
import type { FieldMap } from './where.ts';

export const ITEM_CODE_NOT_VALID = (code: string) => `Item code '${code}' is not valid.`;

export interface ItemSeed {
  Code: string;
  Name: string;
  Description?: string;
  PurchaseDescription?: string;
  IsSold?: boolean;
  IsPurchased?: boolean;
  SalesDetails?: ItemDetails;
  PurchaseDetails?: ItemDetails;
}

export function defaultItems(countryCode: string): ItemSeed[] {
  const tax = everydayTaxTypes(countryCode);
  return [
    { Code: 'MEMBER-FULL', Name: 'Full membership', Description: 'Annual full membership', IsPurchased: false, SalesDetails: { UnitPrice: 120, AccountCode: '200', TaxType: tax.sales } },
    { Code: 'MEMBER-JUNIOR', Name: 'Junior membership', Description: 'Annual junior membership', IsPurchased: false, SalesDetails: { UnitPrice: 60, AccountCode: '200', TaxType: tax.sales } },
    { Code: 'EVENT-ENTRY', Name: 'Event entry', Description: 'Regatta entry fee', IsPurchased: false, SalesDetails: { UnitPrice: 25, AccountCode: '260', TaxType: tax.sales } },
    { Code: 'NEWSLETTER', Name: 'Newsletter printing', PurchaseDescription: 'Printing of the quarterly newsletter', IsSold: false, PurchaseDetails: { UnitPrice: 1.2, AccountCode: '461', TaxType: tax.purchases } },
  ];
}

function checkDetails(code: string, side: string, details: ItemDetails | undefined): ItemDetails {
  if (details === undefined || details === null) return {};
  if (details.UnitPrice !== undefined && (typeof details.UnitPrice !== 'number' || !Number.isFinite(details.UnitPrice))) throw new Error(`item ${code}: ${side}.UnitPrice must be a number`);
  return compact({ UnitPrice: details.UnitPrice === undefined ? undefined : round(details.UnitPrice, 4), AccountCode: details.AccountCode, TaxType: details.TaxType });
}

/** An item from a seed, over the one with that code when there is one (it keeps its ItemID). */
export function buildItem(seed: ItemSeed, now: number, existing?: Item): Item {
  if (!seed || typeof seed.Code !== 'string' || seed.Code.trim() === '') throw new Error('an item needs a Code');
  if (seed.Code.length > 30) throw new Error(`item ${seed.Code}: Code must not exceed 30 characters`);
  if (typeof seed.Name !== 'string' || seed.Name.trim() === '' || seed.Name.length > 50) throw new Error(`item ${seed.Code}: a Name of at most 50 characters is needed`);
  const isSold = seed.IsSold ?? true;
  const isPurchased = seed.IsPurchased ?? true;
  // Xero nulls the description and details of a side the item is not used on.
  return compact({
    ItemID: existing?.ItemID ?? randomUUID(),
    Code: seed.Code,
    Name: seed.Name,
    Description: isSold ? seed.Description : undefined,
    PurchaseDescription: isPurchased ? seed.PurchaseDescription : undefined,
    IsSold: isSold,
    IsPurchased: isPurchased,
    SalesDetails: isSold ? checkDetails(seed.Code, 'SalesDetails', seed.SalesDetails) : {},
    PurchaseDetails: isPurchased ? checkDetails(seed.Code, 'PurchaseDetails', seed.PurchaseDetails) : {},
    updatedAt: now,
  }) as Item;
}

export function seedItems(seeds: ItemSeed[], now: number): Item[] {
  const items = seeds.map((seed) => buildItem(seed, now));
  const codes = items.map((i) => i.Code.toLowerCase());
  if (new Set(codes).size !== codes.length) throw new Error('item codes must be unique');
  return items;
}

/** Codes match without regard to case, as they do in Xero's own lookups. */
export function itemByCode(books: Books, code: string): Item | undefined {
  return books.items.find((i) => i.Code.toLowerCase() === code.trim().toLowerCase());
}

/** What an item fills in on a line of a sales or a purchase document. */
export function itemDefaults(item: Item, side: 'sales' | 'purchases'): { Description?: string } & ItemDetails {
  return side === 'sales'
    ? { Description: item.Description, ...item.SalesDetails }
    : { Description: item.PurchaseDescription, ...item.PurchaseDetails };
}

export function renderItem(item: Item, unitDp: 2 | 4): Record<string, unknown> {
  const details = (d: ItemDetails) => compact({ UnitPrice: d.UnitPrice === undefined ? undefined : round(d.UnitPrice, unitDp), AccountCode: d.AccountCode, TaxType: d.TaxType });
  return compact({
    ItemID: item.ItemID,
    Code: item.Code,
    Description: item.Description,
    PurchaseDescription: item.PurchaseDescription,
    UpdatedDateUTC: msDate(item.updatedAt),
    PurchaseDetails: details(item.PurchaseDetails),
    SalesDetails: details(item.SalesDetails),
    Name: item.Name,
    IsTrackedAsInventory: false,
    IsSold: item.IsSold,
    IsPurchased: item.IsPurchased,
  });
}

export const ITEM_FIELDS: FieldMap<Item> = {
  itemid: (i) => i.ItemID,
  code: (i) => i.Code,
  name: (i) => i.Name,
  description: (i) => i.Description,
  purchasedescription: (i) => i.PurchaseDescription,
  issold: (i) => i.IsSold,
  ispurchased: (i) => i.IsPurchased,
  updateddateutc: (i) => i.updatedAt,
};
