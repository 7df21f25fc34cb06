/** What every Accounting operation works on: one organisation's books, the clock and the change feed. */
import type { SandboxStore } from '../store.ts';
import type { ChangeEvent, ChangeSink } from '../events.ts';
import type { Books } from './records.ts';

export interface BooksContext {
  store: SandboxStore;
  books: Books;
  tenantId: string;
  /** Announces a change (webhooks). */
  announce: ChangeSink;
  now(): number;
}

export function booksContext(store: SandboxStore, books: Books, announce: ChangeSink): BooksContext {
  return {
    store,
    books,
    tenantId: books.org.OrganisationID,
    announce,
    now: () => store.clock.now(),
  };
}

export function change(ctx: BooksContext, category: ChangeEvent['category'], type: ChangeEvent['type'], resourceId: string): void {
  ctx.announce({ tenantId: ctx.tenantId, category, type, resourceId, at: ctx.now() });
}

/** Each change gets a strictly later UpdatedDateUTC than the record had, so If-Modified-Since never misses one. */
export function touch(ctx: BooksContext, previous?: number): number {
  const now = ctx.now();
  return previous !== undefined && now <= previous ? previous + 1 : now;
}
