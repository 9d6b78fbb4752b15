import { moveBalance } from './ledger-balance-steps.ts';
import { toTimestamp } from './map-rows.ts';
import { type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';
import { commit, type TransactionOutcome } from './transaction-runner.ts';

/**
 * Expires every open hold whose `expires_at` is before `now` and releases its credit, in one
 * transaction (I7). The UPDATE's `state = 'open'` condition is re-checked on PostgreSQL after a
 * row lock wait, so a hold a concurrent settle resolved first is left alone. Idempotent.
 */
export function expireHolds(context: StoreContext, now: Date): Promise<number> {
  return context.runner.write(() => expireProgram(context, now));
}

function* expireProgram(context: StoreContext, now: Date): SqlProgram<TransactionOutcome<number>> {
  const { db } = context;
  const expired = yield* selectRows(
    db
      .updateTable('ledger_holds')
      .set({ state: 'expired', resolved_at: toTimestamp(context.now()) })
      .where('state', '=', 'open')
      .where('expires_at', '<', toTimestamp(now))
      .returning(['account_id', 'amount_micros']),
  );
  const releasedByAccount = new Map<string, bigint>();
  for (const hold of expired) {
    releasedByAccount.set(
      hold.account_id,
      (releasedByAccount.get(hold.account_id) ?? 0n) + hold.amount_micros,
    );
  }
  // Sorted: concurrent sweeps lock the balance rows in the same order.
  for (const accountId of [...releasedByAccount.keys()].sort()) {
    yield* moveBalance(db, accountId, { heldMicros: -(releasedByAccount.get(accountId) ?? 0n) });
  }
  return commit(expired.length);
}

export async function countOpenHolds(context: StoreContext): Promise<number> {
  const row = await context.db
    .selectFrom('ledger_holds')
    .select((expression) => expression.fn.countAll<bigint>().as('count'))
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
