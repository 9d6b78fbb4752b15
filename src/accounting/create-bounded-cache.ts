/** A size-bounded map that evicts the least recently used entry; expiry is the caller's concern. */
export interface BoundedCache<Value> {
  get(key: string): Value | undefined;
  set(key: string, value: Value): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createBoundedCache<Value>(maxEntries: number): BoundedCache<Value> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new Error('A bounded cache needs a positive integer size.');
  }
  // A Map iterates in insertion order, so re-inserting on read keeps the oldest entry first.
  const entries = new Map<string, Value>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
