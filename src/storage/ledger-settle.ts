import { generateId } from './generate-id.ts';
import {
  ensureBalanceRow,
  insertTransaction,
  moveBalance,
  postTransfer,
  readBalance,
} from './ledger-balance-steps.ts';
import { usageIdempotencyKey } from './ledger-idempotency-keys.ts';
import { type SettleResult, SYSTEM_ACCOUNTS, type UsageRecordInput } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { toUsageRow } from './map-usage-rows.ts';
import { payloadHash } from './payload-hash.ts';
import { execute, type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';
import { commit, rollback, type TransactionOutcome } from './transaction-runner.ts';

/**
 * Charges one request exactly once (I5), in one transaction: the usage transaction row (its
 * unique `usage:<request id>` key decides between concurrent settles), the hold's resolution if it
 * is still open (I6), the entries customer −cost / usage revenue +cost, and the usage record.
 *
 * A zero-cost request still writes its transaction row (with no entries: zero sums to zero), its
 * usage record and its hold's resolution, so a second settle of it is a no-op like any other.
 * A hold that already expired released its credit then; the charge is still posted (the provider
 * billed it), which is the one way an account can end below zero (I4). SQLite runs its
 * hand-prepared twin (`sqlite/settle-usage-sqlite.ts`): a change here must be made there too.
 */
export async function settleUsage(
  context: StoreContext,
  input: { usage: UsageRecordInput },
): Promise<SettleResult> {
  if (input.usage.costMicros < 0n) throw new RangeError('A usage cost is never negative.');
  if (context.hotPath !== undefined) return context.hotPath.settle(input.usage);
  return context.runner.write(() => settleProgram(context, input.usage));
}

function* settleProgram(
  context: StoreContext,
  usage: UsageRecordInput,
): SqlProgram<TransactionOutcome<SettleResult>> {
  const { db } = context;
  const cost = usage.costMicros;
  const createdAt = toTimestamp(usage.createdAt);
  const transactionId = generateId('txn');
  yield* ensureBalanceRow(db, usage.accountId);
  const posted = yield* insertTransaction(db, {
    id: transactionId,
    kind: 'usage',
    accountId: usage.accountId,
    idemKey: usageIdempotencyKey(usage.requestId),
    payloadHash: payloadHash({ kind: 'usage', accountId: usage.accountId, amountMicros: -cost }),
    requestId: usage.requestId,
    actor: null,
    reason: null,
    createdAt,
  });
  if (!posted) {
    const balance = yield* readBalance(db, usage.accountId);
    return rollback({ status: 'already_settled', balance });
  }

  const resolved = yield* selectRows(
    db
      .updateTable('ledger_holds')
      .set({ state: 'settled', resolved_at: toTimestamp(context.now()) })
      .where('request_id', '=', usage.requestId)
      .where('state', '=', 'open')
      .returning(['account_id', 'amount_micros']),
  );
  const hold = resolved[0];
  const releasedHere = hold !== undefined && hold.account_id === usage.accountId;
  yield* postTransfer(db, {
    transactionId,
    customerId: usage.accountId,
    counterpartyId: SYSTEM_ACCOUNTS.usageRevenue,
    amountMicros: -cost,
    createdAt,
    ...(releasedHere ? { customerHeldDeltaMicros: -hold.amount_micros } : {}),
  });
  if (hold !== undefined && !releasedHere) {
    yield* moveBalance(db, hold.account_id, { heldMicros: -hold.amount_micros });
  }
  yield* execute(db.insertInto('usage_records').values(toUsageRow(usage)));
  const balance = yield* readBalance(db, usage.accountId);
  return commit({ status: 'settled', balance });
}
