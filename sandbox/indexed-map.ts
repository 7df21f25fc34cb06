/**
 * A Map of records by id that also finds them by other keys (a contact by name, an invoice by number) without
 * scanning every record: Xero answers a batch of 50 in the same time with 100 records or 100,000, and so must
 * the sandbox, or a benchmark measures the sandbox instead of the code under test.
 *
 * Each index keeps, per key, the ids of the records that had that key when they were set. Records are
 * replaced whole (`set`) whenever an indexed field changes; a lookup re-checks each candidate against the
 * record as it is now, so an index can hold a stale id but never miss a record. Candidates come back in the
 * Map's own order (first set first), as a scan would find them.
 */
export type IndexKey<V> = (record: V) => string | undefined;

export class IndexedMap<V> extends Map<string, V> {
  readonly #indexes = new Map<string, { key: IndexKey<V>; ids: Map<string, Set<string>> }>();
  /** Position of each id in the Map's order, for answering candidates in that order. */
  readonly #position = new Map<string, number>();
  #next = 0;

  constructor(indexes: Record<string, IndexKey<V>> = {}) {
    super();
    for (const [name, key] of Object.entries(indexes)) this.#indexes.set(name, { key, ids: new Map() });
  }

  override set(id: string, record: V): this {
    const previous = super.get(id);
    if (!this.#position.has(id)) this.#position.set(id, this.#next++);
    for (const { key, ids } of this.#indexes.values()) {
      const before = previous === undefined ? undefined : key(previous);
      const after = key(record);
      if (before === after && previous !== undefined) continue;
      if (before !== undefined) ids.get(before)?.delete(id);
      if (after !== undefined) {
        let bucket = ids.get(after);
        if (!bucket) ids.set(after, (bucket = new Set()));
        bucket.add(id);
      }
    }
    return super.set(id, record);
  }

  override delete(id: string): boolean {
    const previous = super.get(id);
    if (previous === undefined) return false;
    for (const { key, ids } of this.#indexes.values()) {
      const k = key(previous);
      if (k !== undefined) ids.get(k)?.delete(id);
    }
    this.#position.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    for (const { ids } of this.#indexes.values()) ids.clear();
    this.#position.clear();
    super.clear();
  }

  /** The records whose `index` key is `key` and that `matches` (checked on the record as it is now), in Map order. */
  find(index: string, key: string, matches: (record: V) => boolean = () => true): V[] {
    const entry = this.#indexes.get(index);
    if (!entry) throw new Error(`no index ${index}`);
    const ids = [...(entry.ids.get(key) ?? [])].sort((a, b) => this.#position.get(a)! - this.#position.get(b)!);
    const found: V[] = [];
    for (const id of ids) {
      const record = super.get(id);
      if (record !== undefined && entry.key(record) === key && matches(record)) found.push(record);
    }
    return found;
  }

  /** The first record (in Map order) whose `index` key is `key` and that `matches`. */
  findFirst(index: string, key: string, matches?: (record: V) => boolean): V | undefined {
    return this.find(index, key, matches)[0];
  }
}
