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
  return context.runner.write(() =>
    releaseProgram(context, 'expired', (query) => query.where('expires_at', '<', toTimestamp(now))),
  );
}

/** Voids what an instance's previous run left open (it died mid-request); same release path. */
export function voidAbandonedHolds(
  context: StoreContext,
  input: { owner: string; createdBefore: Date },
): Promise<number> {
  return context.runner.write(() =>
    releaseProgram(context, 'voided', (query) =>
      query
        .where('owner', '=', input.owner)
        .where('created_at', '<', toTimestamp(input.createdBefore)),
    ),
  );
}

type OpenHoldsUpdate = ReturnType<typeof openHoldsUpdate>;

function openHoldsUpdate(context: StoreContext, state: 'expired' | 'voided') {
  return context.db
    .updateTable('ledger_holds')
    .set({ state, resolved_at: toTimestamp(context.now()) })
    .where('state', '=', 'open');
}

function* releaseProgram(
  context: StoreContext,
  state: 'expired' | 'voided',
  narrow: (query: OpenHoldsUpdate) => OpenHoldsUpdate,
): SqlProgram<TransactionOutcome<number>> {
  const { db } = context;
  const expired = yield* selectRows(
    narrow(openHoldsUpdate(context, state)).returning(['account_id', 'amount_micros']),
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
