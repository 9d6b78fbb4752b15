import type { ConsoleStore } from './console-store.ts';
import type { LedgerStore } from './ledger-store.ts';

/**
 * The storage contract every engine implements. Rows come back as camelCase domain objects;
 * timestamps are `Date` in code and ISO-8601 UTC text (`toISOString()`, millisecond precision) in
 * both engines, so they sort and compare as text identically on SQLite and PostgreSQL.
 */

export interface Account {
  /** `acct_` followed by 24 lowercase hex characters. */
  id: string;
  name: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface ApiKey {
  /** `key_` followed by 24 lowercase hex characters. */
  id: string;
  accountId: string;
  name: string;
  /** The displayable start of the key, e.g. `sk-shep-AbCd`. Not unique. */
  prefix: string;
  lastFour: string;
  /** HMAC-SHA256 of the key, hex. The key itself is never stored. */
  keyHash: string;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiKeyWithAccount extends ApiKey {
  account: Account;
}

export interface NewApiKey {
  accountId: string;
  name: string;
  prefix: string;
  lastFour: string;
  keyHash: string;
  expiresAt?: Date;
}

export interface Store extends LedgerStore, ConsoleStore {
  /**
   * Creates the account and its ledger balance row in one transaction. Throws
   * `StoreConstraintError` (`unique`) when the name is taken.
   */
  createAccount(input: { name: string }): Promise<Account>;
  getAccountById(id: string): Promise<Account | undefined>;
  getAccountByName(name: string): Promise<Account | undefined>;
  /** Oldest first. */
  listAccounts(): Promise<Account[]>;
  /**
   * Returns the account with this name, creating it (and its balance row) if missing; safe under
   * concurrent callers.
   */
  ensureAccount(name: string): Promise<Account>;
  /** Sets or clears `disabledAt`; returns whether the account exists. */
  setAccountDisabled(id: string, disabled: boolean): Promise<boolean>;

  /** Throws `StoreConstraintError`: `unique` for a duplicate hash, `foreign-key` for an unknown account. */
  insertApiKey(input: NewApiKey): Promise<ApiKey>;
  /** The key (revoked and expired ones included) with its account, or undefined. */
  findApiKeyByHash(keyHash: string): Promise<ApiKeyWithAccount | undefined>;
  /** Oldest first; revoked keys included. */
  listApiKeys(filter?: { accountId?: string }): Promise<ApiKey[]>;
  /**
   * Revokes by id (`key_…`) or by exact prefix (`sk-shep-AbCd`) among keys not yet revoked.
   * Returns whether a key was revoked; throws `AmbiguousKeyPrefixError` when the prefix matches
   * several live keys (none is revoked then).
   */
  revokeApiKey(idOrPrefix: string): Promise<boolean>;
  /** Records use; never moves `lastUsedAt` backwards. */
  touchApiKey(id: string, at: Date): Promise<void>;

  /** Resolves when the database answers a trivial query; rejects otherwise (for /readyz). */
  ping(): Promise<void>;
  /** Applies pending migrations; a no-op when none are pending. */
  migrate(): Promise<void>;
  /** Releases the connection or pool; later calls are no-ops. */
  close(): Promise<void>;
}
