/**
 * Xero plans that cap how many contacts an organisation may hold. A per-organisation `contactLimit`
 * (option `organisations[].contactLimit`, control API `PUT /organisations/:t/contact-limit {limit}`): once
 * that many active contacts exist, creating another is refused, element by element, like any validation
 * error; updating or archiving a contact still works. Xero words its plan limits "You have reached the
 * limit of invoices you can approve."; the contact cap is worded the same way (the sandbox's guess).
 */
import type { Books } from './records.ts';

export const CONTACT_LIMIT_REACHED = "You have reached the limit of contacts you can create on this organisation's Xero plan.";

/** The refusal for one more contact, or undefined while the plan allows it. */
export function contactLimitProblem(books: Books): string | undefined {
  const limit = books.org.contactLimit;
  if (limit === undefined) return undefined;
  let active = 0;
  for (const c of books.contacts.values()) if (c.ContactStatus === 'ACTIVE') active++;
  return active >= limit ? CONTACT_LIMIT_REACHED : undefined;
}

export function checkContactLimit(limit: unknown): number | undefined {
  if (limit === null || limit === undefined) return undefined;
  if (!Number.isInteger(limit) || (limit as number) < 0) throw new Error('contactLimit must be a non-negative integer, or null for no limit');
  return limit as number;
}
