import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import type { Balance, LedgerTransactionKind } from './ledger-store.ts';
import { countAffected, execute, type SqlProgram, selectRows } from './sql-program.ts';

export function toBalance(
  row: { posted_micros: bigint; held_micros: bigint } | undefined,
): Balance {
  const postedMicros = row?.posted_micros ?? 0n;
  const heldMicros = row?.held_micros ?? 0n;
  return { postedMicros, heldMicros, availableMicros: postedMicros - heldMicros };
}

export function selectBalance(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('ledger_balances')
    .select(['posted_micros', 'held_micros'])
    .where('account_id', '=', accountId);
}

export function* readBalance(db: Kysely<Database>, accountId: string): SqlProgram<Balance> {
  const rows = yield* selectRows(selectBalance(db, accountId));
  return toBalance(rows[0]);
}

/**
 * Creates the customer's balance row if the account exists and has none (accounts made before
 * migration 0002, or a crash between the two inserts of an old build). A missing account gets no
 * row, so the foreign keys of what the program writes next reject it.
 */
export function* ensureBalanceRow(db: Kysely<Database>, accountId: string): SqlProgram<void> {
  yield* execute(
    db
      .insertInto('ledger_balances')
      .columns(['account_id', 'posted_micros', 'held_micros'])
      .expression((expression) =>
        expression
          .selectFrom('accounts')
          .select([
            'id',
            expression.lit(0).as('posted_micros'),
            expression.lit(0).as('held_micros'),
          ])
          .where('id', '=', accountId),
      )
      .onConflict((conflict) => conflict.column('account_id').doNothing()),
  );
}

/** Moves an account's cached balances (I2); the row must exist. */
export function* moveBalance(
  db: Kysely<Database>,
  accountId: string,
  delta: { postedMicros?: bigint; heldMicros?: bigint },
): SqlProgram<void> {
  const posted = delta.postedMicros ?? 0n;
  const held = delta.heldMicros ?? 0n;
  if (posted === 0n && held === 0n) return;
  const updated = yield* countAffected(
    db
      .updateTable('ledger_balances')
      .set((expression) => ({
        posted_micros: expression('posted_micros', '+', posted),
        held_micros: expression('held_micros', '+', held),
      }))
      .where('account_id', '=', accountId),
  );
  if (updated !== 1n) throw new Error(`The ledger has no balance row for ${accountId}.`);
}

export interface NewLedgerTransaction {
  id: string;
  kind: LedgerTransactionKind;
  accountId: string;
  idemKey: string;
  payloadHash: string;
  requestId: string | null;
  actor: string | null;
  reason: string | null;
  createdAt: string;
}

/**
 * Inserts the transaction row unless its idempotency key exists; returns whether it did. On
 * PostgreSQL a concurrent insert of the same key waits for the other transaction and then inserts
 * nothing, so the key alone decides which caller posts.
 */
export function* insertTransaction(
  db: Kysely<Database>,
  transaction: NewLedgerTransaction,
): SqlProgram<boolean> {
  const inserted = yield* selectRows(
    db
      .insertInto('ledger_transactions')
      .values({
        id: transaction.id,
        kind: transaction.kind,
        account_id: transaction.accountId,
        idem_key: transaction.idemKey,
        payload_hash: transaction.payloadHash,
        request_id: transaction.requestId,
        actor: transaction.actor,
        reason: transaction.reason,
        created_at: transaction.createdAt,
      })
      .onConflict((conflict) => conflict.column('idem_key').doNothing())
      .returning('id'),
  );
  return inserted.length === 1;
}

/**
 * Writes the two entries of a transfer, `amountMicros` from `counterpartyId` to `customerId`
 * (negative: the other way), summing to zero (I1), and moves both cached balances, customer first:
 * one lock order for every program, so concurrent PostgreSQL transactions cannot deadlock.
 */
export function* postTransfer(
  db: Kysely<Database>,
  transfer: {
    transactionId: string;
    customerId: string;
    counterpartyId: string;
    amountMicros: bigint;
    createdAt: string;
    customerHeldDeltaMicros?: bigint;
  },
): SqlProgram<void> {
  const amount = transfer.amountMicros;
  if (amount !== 0n) {
    yield* execute(
      db.insertInto('ledger_entries').values([
        {
          txn_id: transfer.transactionId,
          account_id: transfer.customerId,
          amount_micros: amount,
          created_at: transfer.createdAt,
        },
        {
          txn_id: transfer.transactionId,
          account_id: transfer.counterpartyId,
          amount_micros: -amount,
          created_at: transfer.createdAt,
        },
      ]),
    );
  }
  yield* moveBalance(db, transfer.customerId, {
    postedMicros: amount,
    heldMicros: transfer.customerHeldDeltaMicros ?? 0n,
  });
  yield* moveBalance(db, transfer.counterpartyId, { postedMicros: -amount });
}
