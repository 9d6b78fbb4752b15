/**
 * The storage contract of the credit ledger (docs/decisions/0003-credit-ledger.md). Amounts are
 * integer micro-units of the wallet currency as `bigint`. Every method that writes does so in ONE
 * database transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks or conditional updates), so a
 * crash leaves either all of a step's rows or none.
 */

export const SYSTEM_ACCOUNTS = {
  externalFunding: 'sys_external_funding',
  promotions: 'sys_promotions',
  adjustments: 'sys_adjustments',
  usageRevenue: 'sys_usage_revenue',
} as const;

export type LedgerTransactionKind =
  | 'top_up'
  | 'signup_bonus'
  | 'voucher'
  | 'adjustment'
  | 'refund'
  | 'usage';

export interface Balance {
  postedMicros: bigint;
  heldMicros: bigint;
  /** posted − held. */
  availableMicros: bigint;
}

export interface ReserveInput {
  /** The gateway's request id: at most one hold per request (I5). */
  requestId: string;
  accountId: string;
  keyId: string;
  amountMicros: bigint;
  expiresAt: Date;
  /** The gateway instance making the hold (see `voidAbandonedHolds`). */
  owner?: string;
  /** When the key has a monthly cap: spend this period + open holds + this hold must fit. */
  keyMonthlyCap?: { capMicros: bigint; periodStart: Date };
}

export type ReserveResult =
  | { status: 'reserved'; balance: Balance }
  | { status: 'insufficient_balance'; balance: Balance }
  | { status: 'key_cap_exceeded'; spentMicros: bigint; capMicros: bigint }
  | { status: 'duplicate_request' };

/** One request's usage row, written in the settling transaction. */
export interface UsageRecordInput {
  requestId: string;
  accountId: string;
  keyId: string;
  requestedModel: string;
  /** Public id of the model that served (or was attempted last). */
  servedModel: string;
  provider: string;
  upstreamModel: string;
  /** `ok`, `error` (upstream or gateway failure) or `client_closed`. */
  status: 'ok' | 'error' | 'client_closed';
  errorCode: string | null;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: bigint;
  currency: string;
  /** Wallet units per USD, decimal text as configured (e.g. "1400"). */
  exchangeRate: string;
  /** True when the tokens were estimated because the provider's usage never arrived. */
  estimated: boolean;
  /** Milliseconds from request accepted to the first content/reasoning/tool delta; null if none. */
  timeToFirstTokenMs: number | null;
  timeToFirstReasoningMs: number | null;
  timeToFirstContentMs: number | null;
  /** Milliseconds from sending the upstream request to its response headers. */
  upstreamTimeToFirstByteMs: number | null;
  totalMs: number;
  /** Output tokens per second after the first token; null when not measurable. */
  tokensPerSecond: number | null;
  /** Content chunks delivered to the client. */
  chunks: number;
  /** Milliseconds the gateway spent before the upstream request was sent. */
  gatewayOverheadMs: number | null;
  /** JSON text: the attempt chain (provider, model, status, error code) for failover. */
  attempts: string;
  createdAt: Date;
}

export interface UsageRecord extends UsageRecordInput {}

export type SettleResult =
  | { status: 'settled'; balance: Balance }
  /** This request was settled before: nothing was written (exactly-once). */
  | { status: 'already_settled'; balance: Balance };

export interface CreditInput {
  kind: 'top_up' | 'signup_bonus' | 'adjustment' | 'refund';
  accountId: string;
  /** Positive, except adjustments, which may be negative (a debit). Never zero. */
  amountMicros: bigint;
  /** Idempotency key: the same key twice credits once; with another payload it is a conflict. */
  idempotencyKey: string;
  actor?: string;
  reason?: string;
}

export type CreditResult =
  | { status: 'posted'; transactionId: string; balance: Balance }
  | { status: 'duplicate'; transactionId: string; balance: Balance };

export interface LedgerEntryView {
  transactionId: string;
  kind: LedgerTransactionKind;
  amountMicros: bigint;
  requestId: string | null;
  actor: string | null;
  reason: string | null;
  createdAt: Date;
}

export interface VoucherBatch {
  id: string;
  name: string;
  amountMicros: bigint;
  count: number;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  redeemedCount: number;
}

export interface Voucher {
  id: string;
  batchId: string;
  codeLastFour: string;
  amountMicros: bigint;
  expiresAt: Date | null;
  redeemedAt: Date | null;
  redeemedBy: string | null;
}

export type RedeemResult =
  | { status: 'redeemed'; amountMicros: bigint; balance: Balance }
  | { status: 'not_found' }
  | { status: 'already_redeemed' }
  | { status: 'expired' };

export interface ApiKeyPolicy {
  monthlySpendCapMicros: bigint | null;
  /** Public model ids the key may use; null = all. */
  allowedModels: string[] | null;
  expiresAt: Date | null;
}

/** One breach of a ledger.md invariant, for `shepherd ledger check`. */
export interface LedgerViolation {
  invariant: 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I8' | 'I9' | 'I10';
  detail: string;
}

export interface LedgerStore {
  getBalance(accountId: string): Promise<Balance>;
  reserveCredit(input: ReserveInput): Promise<ReserveResult>;
  /** Resolves the request's hold (if still open), posts the charge once and writes the usage row. */
  settleUsage(input: { usage: UsageRecordInput }): Promise<SettleResult>;
  /** Expires open holds whose `expiresAt` is before `now`; returns how many. */
  expireHolds(now: Date): Promise<number>;
  countOpenHolds(): Promise<number>;
  /**
   * Voids the open holds an instance made before `createdBefore` and releases their credit: run by
   * an instance at startup for the holds its previous run (killed mid-request) left open. Returns
   * how many.
   */
  voidAbandonedHolds(input: { owner: string; createdBefore: Date }): Promise<number>;
  /**
   * Throws `LedgerConflictError` when the idempotency key was used with another payload, and
   * `InsufficientBalanceError` when a negative adjustment exceeds the available balance.
   */
  postCredit(input: CreditInput): Promise<CreditResult>;
  listLedgerEntries(filter: { accountId: string; limit: number }): Promise<LedgerEntryView[]>;

  createVoucherBatch(input: {
    name: string;
    amountMicros: bigint;
    codes: Array<{ codeHash: string; codeLastFour: string }>;
    createdBy: string;
    expiresAt?: Date;
  }): Promise<VoucherBatch>;
  listVoucherBatches(): Promise<VoucherBatch[]>;
  listVouchers(batchId: string): Promise<Voucher[]>;
  /** Exactly once per code, even under concurrent attempts. */
  redeemVoucher(input: { codeHash: string; accountId: string; now: Date }): Promise<RedeemResult>;

  getApiKeyPolicy(keyId: string): Promise<ApiKeyPolicy | undefined>;
  setApiKeyPolicy(keyId: string, policy: ApiKeyPolicy): Promise<boolean>;

  /** Usage rows in [from, to), oldest first, optionally for one account or key. */
  listUsageRecords(filter: {
    from: Date;
    to: Date;
    accountId?: string;
    keyId?: string;
    limit?: number;
  }): Promise<UsageRecord[]>;
  /** Σ of usage-transaction amounts charged to customers in [from, to) (for report = ledger checks). */
  sumUsageCharges(filter: { from: Date; to: Date; accountId?: string }): Promise<bigint>;

  /** Verifies I1–I10 (I3: no overdraft beyond holds; I7 at `now`); [] when clean. */
  checkLedger(now: Date): Promise<LedgerViolation[]>;
}
