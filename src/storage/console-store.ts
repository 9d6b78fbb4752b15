import type { ConsoleRole } from './database-schema.ts';
import type { LedgerEntryView, UsageRecord } from './ledger-store.ts';

export type { ConsoleRole } from './database-schema.ts';

/** A person who signs in to the web console; owns one ledger account. */
export interface ConsoleUser {
  /** `cusr_` followed by 24 lowercase hex characters. */
  id: string;
  /** Lowercased. */
  email: string;
  /** `scrypt$N$r$p$salt$hash`. */
  passwordHash: string;
  accountId: string;
  role: ConsoleRole;
  locale: string;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface NewConsoleUser {
  email: string;
  passwordHash: string;
  accountId: string;
  role: ConsoleRole;
  locale: string;
}

export interface ConsoleSession {
  idHash: string;
  userId: string;
  csrfTokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

/** One UTC day's usage charges of an account. */
export interface DailyUsageCharge {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Positive: what the day's requests cost. */
  chargedMicros: bigint;
  transactions: number;
}

/** Where a newest-first page of usage rows resumes: strictly older than this row. */
export interface UsageCursor {
  createdAt: Date;
  requestId: string;
}

/** Console users and sessions, and the console's account-scoped reads. */
export interface ConsoleStore {
  /** Throws `StoreConstraintError` (`unique`) when the email is taken, whatever its case. */
  createConsoleUser(input: NewConsoleUser): Promise<ConsoleUser>;
  /** Case-insensitive. */
  findConsoleUserByEmail(email: string): Promise<ConsoleUser | undefined>;
  /** Oldest first; optionally those of one account. */
  listConsoleUsers(filter?: { accountId?: string }): Promise<ConsoleUser[]>;
  /** Returns whether a user has this email (case-insensitive). */
  setConsoleUserRole(email: string, role: ConsoleRole): Promise<boolean>;
  /** Disables or enables every console user of the account; returns how many. */
  setConsoleUsersDisabled(accountId: string, disabled: boolean): Promise<number>;
  recordConsoleLogin(userId: string, at: Date): Promise<void>;
  setConsoleUserLocale(userId: string, locale: string): Promise<void>;

  createConsoleSession(session: ConsoleSession): Promise<void>;
  /** The unexpired session (at `now`) with its user; expired ones are deleted on sight. */
  findConsoleSession(
    idHash: string,
    now: Date,
  ): Promise<{ session: ConsoleSession; user: ConsoleUser } | undefined>;
  deleteConsoleSession(idHash: string): Promise<void>;
  /** Deletes sessions expired before `now`; returns how many. */
  deleteExpiredConsoleSessions(now: Date): Promise<number>;

  /** The account's ledger entries other than usage charges, newest first. */
  listNonUsageLedgerEntries(filter: {
    accountId: string;
    limit: number;
  }): Promise<LedgerEntryView[]>;
  /** The account's usage charges per UTC day in [from, to), newest day first. */
  listDailyUsageCharges(filter: {
    accountId: string;
    from: Date;
    to: Date;
  }): Promise<DailyUsageCharge[]>;
  /**
   * The account's usage rows newest first, strictly older than `before` when given; `model`
   * matches the requested or the served model.
   */
  listRecentUsageRecords(filter: {
    accountId: string;
    limit: number;
    before?: UsageCursor;
    model?: string;
    keyId?: string;
  }): Promise<UsageRecord[]>;
}
