import { generateTimeOrderedId } from '../generate-id.ts';
import { usageIdempotencyKey } from '../ledger-idempotency-keys.ts';
import { type SettleResult, SYSTEM_ACCOUNTS, type UsageRecordInput } from '../ledger-store.ts';
import { toTimestamp } from '../map-rows.ts';
import { payloadHash } from '../payload-hash.ts';
import { commit, rollback, type TransactionOutcome } from '../transaction-runner.ts';
import type { LedgerStatements } from './prepare-ledger-statements.ts';
import { readBalance } from './read-balance.ts';
import { withBalanceRow } from './with-balance-row.ts';

/**
 * `settleProgram` (ledger-settle.ts) on prepared statements, run inside the caller's write
 * transaction, with the same rows and the same zero-amount rules: the usage transaction row (its
 * unique key makes a second settle a no-op), the hold's resolution, the entry pair and both cached
 * balances (customer first), the usage record. Its one refusal, a second settle, comes before
 * any change (the queue runs it without a savepoint). Each statement writes one row: one that may
 * write several (`values (…), (…)`, `where account_id in (…)`) makes SQLite keep a statement
 * journal, a copy of every page it changes, which costs more than the statement it saves. The
 * transaction id is time-ordered (see `generateTimeOrderedId`): two of a settle's index inserts
 * then share the pages of the batch. Rows are read by their key rather than returned by the
 * statement that changes them (see `prepareLedgerStatements` on RETURNING): the open hold before
 * its UPDATE, which still requires `state = 'open'` (I6), and the customer's balance last.
 */
export function settleOnSqlite(
  statements: LedgerStatements,
  usage: UsageRecordInput,
  now: Date,
): TransactionOutcome<SettleResult> {
  const cost = usage.costMicros;
  const customerId = usage.accountId;
  const revenueId = SYSTEM_ACCOUNTS.usageRevenue;
  const createdAt = toTimestamp(usage.createdAt);
  const transactionId = generateTimeOrderedId('txn');
  const posted = withBalanceRow(statements, customerId, () =>
    statements.insertUsageTransaction.run(
      transactionId,
      customerId,
      usageIdempotencyKey(usage.requestId),
      payloadHash({ kind: 'usage', accountId: customerId, amountMicros: -cost }),
      usage.requestId,
      createdAt,
    ),
  );
  if (posted.changes === 0) {
    return rollback({ status: 'already_settled', balance: readBalance(statements, customerId) });
  }

  const hold = statements.readOpenHold.get(usage.requestId);
  if (
    hold !== undefined &&
    statements.settleHold.run(toTimestamp(now), usage.requestId).changes !== 1
  ) {
    throw new Error(`The hold of ${usage.requestId} did not resolve.`);
  }
  const holdAccountId = hold?.[0];
  const holdMicros = hold?.[1] ?? 0n;
  const releasedHere = holdAccountId === customerId;
  if (cost !== 0n) {
    statements.insertEntry.run(transactionId, customerId, -cost, createdAt);
    statements.insertEntry.run(transactionId, revenueId, cost, createdAt);
  }
  moveBalance(statements, customerId, -cost, releasedHere ? -holdMicros : 0n);
  if (cost !== 0n && statements.creditAccount.run(cost, revenueId).changes !== 1) {
    throw new Error(`The ledger has no balance row for ${revenueId}.`);
  }
  if (holdAccountId !== undefined && !releasedHere) {
    moveBalance(statements, holdAccountId, 0n, -holdMicros);
  }
  statements.insertUsageRecord.run(...usageRecordValues(usage));
  return commit({ status: 'settled', balance: readBalance(statements, customerId) });
}

/** `moveBalance`: nothing when both deltas are zero, else exactly one row or an error. */
function moveBalance(
  statements: LedgerStatements,
  accountId: string,
  postedMicros: bigint,
  heldMicros: bigint,
): void {
  if (postedMicros === 0n && heldMicros === 0n) return;
  if (statements.moveBalance.run(postedMicros, heldMicros, accountId).changes !== 1) {
    throw new Error(`The ledger has no balance row for ${accountId}.`);
  }
}

/** The usage row in the column order of `insertUsageRecord` (see `toUsageRow`). */
function usageRecordValues(usage: UsageRecordInput): unknown[] {
  return [
    usage.requestId,
    usage.accountId,
    usage.keyId,
    usage.requestedModel,
    usage.servedModel,
    usage.provider,
    usage.upstreamModel,
    usage.status,
    usage.errorCode,
    usage.inputTokens,
    usage.cachedInputTokens,
    usage.cacheWriteTokens,
    usage.cacheWrite1hTokens,
    usage.outputTokens,
    usage.reasoningTokens,
    usage.costMicros,
    usage.currency,
    usage.exchangeRate,
    usage.estimated ? 1 : 0,
    usage.timeToFirstTokenMs,
    usage.timeToFirstReasoningMs,
    usage.timeToFirstContentMs,
    usage.upstreamTimeToFirstByteMs,
    usage.totalMs,
    usage.tokensPerSecond,
    usage.chunks,
    usage.gatewayOverheadMs,
    usage.attempts,
    toTimestamp(usage.createdAt),
  ];
}
