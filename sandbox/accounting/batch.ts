/**
 * Batch writes and `summarizeErrors`.
 *
 * Xero validates each element of a PUT/POST array on its own and saves the valid ones. With
 * `summarizeErrors=false` the call answers 200 and every element carries `StatusAttributeString`
 * (`OK` / `ERROR`) and its `ValidationErrors`. Without it (Xero's real default, whatever the spec says)
 * one invalid element turns the answer into a 400 ValidationException listing the failed elements,
 * although the valid ones were still created and their ids are lost to the caller.
 */
import type { Request } from 'express';
import { validationException } from './errors.ts';
import { queryParam } from './query.ts';

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export interface ElementResult {
  /** The element as Xero would show it: the saved record, or the draft record it would have saved. */
  element: Record<string, unknown>;
  errors: string[];
  warnings?: string[];
}

export function summarizeErrors(req: Request): boolean {
  // Anything but an explicit false keeps Xero's summarising behaviour.
  return (queryParam(req, 'summarizeErrors') ?? 'true').toLowerCase() !== 'false';
}

export function errorMessages(messages: string[]): Array<{ Message: string }> {
  return messages.map((Message) => ({ Message }));
}

/** The element list of a batch answer, or throws the 400 ValidationException when summarising. */
export function batchElements(results: ElementResult[], summarise: boolean, errorFlag: 'HasErrors' | 'HasValidationErrors'): Record<string, unknown>[] {
  const failed = results.filter((r) => r.errors.length > 0);
  if (summarise && failed.length > 0) {
    throw validationException(failed.map((r) => ({ ...r.element, [errorFlag]: true, ValidationErrors: errorMessages(r.errors) })));
  }
  return results.map((r) => {
    const warnings = r.warnings && r.warnings.length > 0 ? { Warnings: errorMessages(r.warnings) } : {};
    if (r.errors.length === 0) {
      return summarise ? { ...r.element, ...warnings } : { ...r.element, ...warnings, StatusAttributeString: r.warnings?.length ? 'WARNING' : 'OK' };
    }
    return { ...r.element, [errorFlag]: true, StatusAttributeString: 'ERROR', ValidationErrors: errorMessages(r.errors), ...warnings };
  });
}

/** The elements of a write body: `{Contacts: [...]}` or a single bare object, as Xero accepts both. */
export function bodyElements(body: unknown, key: string): Array<Record<string, unknown>> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const listKey = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
  if (listKey !== undefined) {
    const list = record[listKey];
    if (!Array.isArray(list)) return undefined;
    return list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
  }
  return Object.keys(record).length > 0 ? [record] : [];
}
