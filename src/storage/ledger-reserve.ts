import { type Kysely, sql } from 'kysely';
import type { Database } from './database-schema.ts';
import { ensureBalanceRow, readBalance } from './ledger-balance-steps.ts';
import { usageIdempotencyKey } from './ledger-idempotency-keys.ts';
import type { ReserveInput, ReserveResult } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { countAffected, execute, type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';
import { commit, rollback, type TransactionOutcome } from './transaction-runner.ts';

/**
 * Places the request's hold in one transaction: the key's monthly cap (if any), then the
 * conditional `held += amount WHERE posted - held >= amount` (I3: never read-then-write), then the
 * hold row. Every refusal rolls back, so a refused reserve leaves nothing behind. SQLite runs its
 * hand-prepared twin (`sqlite/reserve-credit-sqlite.ts`): a change here must be made there too.
 */
export async function reserveCredit(
  context: StoreContext,
  input: ReserveInput,
): Promise<ReserveResult> {
  if (input.amountMicros < 0n) throw new RangeError('A hold amount is never negative.');
  if (context.hotPath !== undefined) return context.hotPath.reserve(input);
  return context.runner.write(() => reserveProgram(context, input));
}

function* reserveProgram(
  context: StoreContext,
  input: ReserveInput,
): SqlProgram<TransactionOutcome<ReserveResult>> {
  const { db, engine } = context;
  const cap = input.keyMonthlyCap;
  if (cap !== undefined) {
    // The cap is read-then-write, so PostgreSQL reserves of one key take turns on its row lock.
    yield* execute(
      db
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', input.keyId)
        .$if(engine === 'postgres', (query) => query.forUpdate()),
    );
  }
  const settled = yield* selectRows(
    db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('idem_key', '=', usageIdempotencyKey(input.requestId)),
  );
  if (settled.length > 0) return rollback({ status: 'duplicate_request' });

  yield* ensureBalanceRow(db, input.accountId);
  const inserted = yield* selectRows(
    db
      .insertInto('ledger_holds')
      .values({
        request_id: input.requestId,
        account_id: input.accountId,
        key_id: input.keyId,
        amount_micros: input.amountMicros,
        state: 'open',
        created_at: toTimestamp(context.now()),
        expires_at: toTimestamp(input.expiresAt),
        resolved_at: null,
        owner: input.owner ?? null,
      })
      .onConflict((conflict) => conflict.column('request_id').doNothing())
      .returning('request_id'),
  );
  if (inserted.length === 0) return rollback({ status: 'duplicate_request' });

  if (cap !== undefined) {
    const spentMicros = yield* keySpend(db, input, cap.periodStart);
    if (spentMicros + input.amountMicros > cap.capMicros) {
      return rollback({ status: 'key_cap_exceeded', spentMicros, capMicros: cap.capMicros });
    }
  }

  const amount = input.amountMicros;
  const reserved = yield* countAffected(
    db
      .updateTable('ledger_balances')
      .set((expression) => ({ held_micros: expression('held_micros', '+', amount) }))
      .where('account_id', '=', input.accountId)
      // A hold of 0 (a free model) fits any balance, an overdrawn one too: it can cost nothing.
      .$if(amount !== 0n, (query) =>
        query.where((expression) =>
          expression(expression('posted_micros', '-', expression.ref('held_micros')), '>=', amount),
        ),
      ),
  );
  const balance = yield* readBalance(db, input.accountId);
  return reserved === 1n
    ? commit({ status: 'reserved', balance })
    : rollback({ status: 'insufficient_balance', balance });
}

/** The key's charges since `periodStart` plus its other open holds, in one statement (one snapshot). */
function* keySpend(
  db: Kysely<Database>,
  input: ReserveInput,
  periodStart: Date,
): SqlProgram<bigint> {
  const rows = yield* selectRows(
    sql<{ spent: bigint }>`select cast(
        coalesce((select sum(cost_micros) from usage_records
          where key_id = ${input.keyId} and created_at >= ${toTimestamp(periodStart)}), 0)
        + coalesce((select sum(amount_micros) from ledger_holds
          where key_id = ${input.keyId} and state = 'open' and request_id <> ${input.requestId}), 0)
      as bigint) as spent`.compile(db),
  );
  return rows[0]?.spent ?? 0n;
}
