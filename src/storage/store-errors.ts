/** A write broke a constraint: a duplicate unique value or a reference to a missing row. */
export class StoreConstraintError extends Error {
  readonly constraint: 'unique' | 'foreign-key';

  constructor(constraint: 'unique' | 'foreign-key', message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StoreConstraintError';
    this.constraint = constraint;
  }
}

/** A key prefix given to `revokeApiKey` matches more than one live key. */
export class AmbiguousKeyPrefixError extends Error {
  readonly prefix: string;
  readonly matchCount: number;

  constructor(prefix: string, matchCount: number) {
    super(`Key prefix ${prefix} matches ${matchCount} keys; use the key id instead.`);
    this.name = 'AmbiguousKeyPrefixError';
    this.prefix = prefix;
    this.matchCount = matchCount;
  }
}
