import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import { generateId } from './generate-id.ts';
import {
  ensureBalanceRow,
  insertTransaction,
  postTransfer,
  readBalance,
} from './ledger-balance-steps.ts';
import { voucherIdempotencyKey } from './ledger-idempotency-keys.ts';
import {
  type RedeemResult,
  SYSTEM_ACCOUNTS,
  type Voucher,
  type VoucherBatch,
} from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { payloadHash } from './payload-hash.ts';
import { execute, type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';
import { commit, rollback, type TransactionOutcome } from './transaction-runner.ts';

/** Rows per INSERT: far below either engine's bound-parameter limit. */
const INSERT_CHUNK = 500;

export interface NewVoucherBatch {
  name: string;
  amountMicros: bigint;
  codes: Array<{ codeHash: string; codeLastFour: string }>;
  createdBy: string;
  expiresAt?: Date;
}

/** The batch and all its vouchers in one transaction; a duplicate code hash writes nothing. */
export async function createVoucherBatch(
  context: StoreContext,
  input: NewVoucherBatch,
): Promise<VoucherBatch> {
  if (input.amountMicros <= 0n) throw new RangeError('A voucher amount is positive.');
  if (input.codes.length === 0) throw new RangeError('A voucher batch has at least one code.');
  const batch: VoucherBatch = {
    id: generateId('vbat'),
    name: input.name,
    amountMicros: input.amountMicros,
    count: input.codes.length,
    createdBy: input.createdBy,
    createdAt: context.now(),
    expiresAt: input.expiresAt ?? null,
    redeemedCount: 0,
  };
  return context.runner.write(() => createBatchProgram(context.db, batch, input.codes));
}

function* createBatchProgram(
  db: Kysely<Database>,
  batch: VoucherBatch,
  codes: NewVoucherBatch['codes'],
): SqlProgram<TransactionOutcome<VoucherBatch>> {
  yield* execute(
    db.insertInto('voucher_batches').values({
      id: batch.id,
      name: batch.name,
      amount_micros: batch.amountMicros,
      count: batch.count,
      created_by: batch.createdBy,
      created_at: toTimestamp(batch.createdAt),
      expires_at: batch.expiresAt === null ? null : toTimestamp(batch.expiresAt),
    }),
  );
  for (let start = 0; start < codes.length; start += INSERT_CHUNK) {
    const rows = codes.slice(start, start + INSERT_CHUNK).map((code) => ({
      id: generateId('vchr'),
      batch_id: batch.id,
      code_hash: code.codeHash,
      code_last_four: code.codeLastFour,
      redeemed_at: null,
      redeemed_by: null,
    }));
    yield* execute(db.insertInto('vouchers').values(rows));
  }
  return commit(batch);
}

/** Oldest first, with how many of each batch's codes were redeemed. */
export async function listVoucherBatches(context: StoreContext): Promise<VoucherBatch[]> {
  const rows = await context.db
    .selectFrom('voucher_batches')
    .leftJoin('vouchers', 'vouchers.batch_id', 'voucher_batches.id')
    .select((expression) => [
      'voucher_batches.id',
      'voucher_batches.name',
      'voucher_batches.amount_micros',
      'voucher_batches.count',
      'voucher_batches.created_by',
      'voucher_batches.created_at',
      'voucher_batches.expires_at',
      expression.fn.count<bigint>('vouchers.redeemed_at').as('redeemed_count'),
    ])
    .groupBy([
      'voucher_batches.id',
      'voucher_batches.name',
      'voucher_batches.amount_micros',
      'voucher_batches.count',
      'voucher_batches.created_by',
      'voucher_batches.created_at',
      'voucher_batches.expires_at',
    ])
    .orderBy('voucher_batches.created_at')
    .orderBy('voucher_batches.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    amountMicros: row.amount_micros,
    count: Number(row.count),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    redeemedCount: Number(row.redeemed_count),
  }));
}

export async function listVouchers(context: StoreContext, batchId: string): Promise<Voucher[]> {
  const rows = await context.db
    .selectFrom('vouchers')
    .innerJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
    .select([
      'vouchers.id',
      'vouchers.batch_id',
      'vouchers.code_last_four',
      'voucher_batches.amount_micros',
      'voucher_batches.expires_at',
      'vouchers.redeemed_at',
      'vouchers.redeemed_by',
    ])
    .where('vouchers.batch_id', '=', batchId)
    .orderBy('vouchers.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    batchId: row.batch_id,
    codeLastFour: row.code_last_four,
    amountMicros: row.amount_micros,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    redeemedAt: row.redeemed_at === null ? null : new Date(row.redeemed_at),
    redeemedBy: row.redeemed_by,
  }));
}

/**
 * Redeems a code exactly once: the conditional `UPDATE … WHERE redeemed_at IS NULL` admits one
 * caller (PostgreSQL re-checks it after waiting for a concurrent redeemer's row lock), and the
 * voucher transaction (promotions → customer) is written in the same transaction.
 */
export function redeemVoucher(
  context: StoreContext,
  input: { codeHash: string; accountId: string; now: Date },
): Promise<RedeemResult> {
  return context.runner.write(() => redeemProgram(context, input));
}

function* redeemProgram(
  context: StoreContext,
  input: { codeHash: string; accountId: string; now: Date },
): SqlProgram<TransactionOutcome<RedeemResult>> {
  const { db } = context;
  const now = toTimestamp(input.now);
  yield* ensureBalanceRow(db, input.accountId);
  const claimed = yield* selectRows(
    db
      .updateTable('vouchers')
      .set({ redeemed_at: now, redeemed_by: input.accountId })
      .where('code_hash', '=', input.codeHash)
      .where('redeemed_at', 'is', null)
      .where((expression) =>
        expression(
          'batch_id',
          'in',
          expression
            .selectFrom('voucher_batches')
            .select('id')
            .where((inner) =>
              inner.or([inner('expires_at', 'is', null), inner('expires_at', '>', now)]),
            ),
        ),
      )
      .returning('batch_id'),
  );
  const batchId = claimed[0]?.batch_id;
  if (batchId === undefined) return rollback(yield* whyNotRedeemable(db, input.codeHash));

  const batches = yield* selectRows(
    db.selectFrom('voucher_batches').select('amount_micros').where('id', '=', batchId),
  );
  const amountMicros = batches[0]?.amount_micros;
  if (amountMicros === undefined) throw new Error('The voucher batch vanished while redeeming.');
  const transactionId = generateId('txn');
  const posted = yield* insertTransaction(db, {
    id: transactionId,
    kind: 'voucher',
    accountId: input.accountId,
    idemKey: voucherIdempotencyKey(input.codeHash),
    payloadHash: payloadHash({ kind: 'voucher', accountId: input.accountId, amountMicros }),
    requestId: null,
    actor: input.accountId,
    reason: null,
    createdAt: toTimestamp(context.now()),
  });
  if (!posted) throw new Error('The voucher was credited before it was redeemed.');
  yield* postTransfer(db, {
    transactionId,
    customerId: input.accountId,
    counterpartyId: SYSTEM_ACCOUNTS.promotions,
    amountMicros,
    createdAt: toTimestamp(context.now()),
  });
  const balance = yield* readBalance(db, input.accountId);
  return commit({ status: 'redeemed', amountMicros, balance });
}

function* whyNotRedeemable(db: Kysely<Database>, codeHash: string): SqlProgram<RedeemResult> {
  const rows = yield* selectRows(
    db.selectFrom('vouchers').select('redeemed_at').where('code_hash', '=', codeHash),
  );
  const voucher = rows[0];
  if (voucher === undefined) return { status: 'not_found' };
  return voucher.redeemed_at === null ? { status: 'expired' } : { status: 'already_redeemed' };
}
