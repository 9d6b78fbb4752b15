import type { VoucherBatch } from '../storage/ledger-store.ts';
import type { Store } from '../storage/store.ts';
import { generateVoucherCode, hashVoucherCode, voucherLastFour } from './voucher-codes.ts';

export const MAX_VOUCHER_BATCH_SIZE = 10_000;

export interface GeneratedVoucherBatch {
  batch: VoucherBatch;
  /** The codes themselves, for the operator's eyes once: only their digests are stored. */
  codes: string[];
}

/**
 * Generates `count` codes worth `amountMicros` each and stores the batch with their digests in one
 * transaction. Throws `RangeError` for a count outside 1..10,000, a non-positive amount or an empty
 * name.
 */
export async function generateVoucherBatch(options: {
  store: Pick<Store, 'createVoucherBatch'>;
  pepper: string;
  name: string;
  amountMicros: bigint;
  count: number;
  createdBy: string;
  expiresAt?: Date;
}): Promise<GeneratedVoucherBatch> {
  const { count } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_VOUCHER_BATCH_SIZE) {
    throw new RangeError(`A batch holds 1 to ${MAX_VOUCHER_BATCH_SIZE} codes, not ${count}.`);
  }
  if (options.amountMicros <= 0n) throw new RangeError('A voucher is worth a positive amount.');
  if (options.name.trim() === '') throw new RangeError('A voucher batch needs a name.');
  const codes = new Set<string>();
  // 80 random bits make a repeat practically impossible; the set makes it impossible.
  while (codes.size < count) codes.add(generateVoucherCode());
  const batch = await options.store.createVoucherBatch({
    name: options.name,
    amountMicros: options.amountMicros,
    codes: [...codes].map((code) => ({
      codeHash: hashVoucherCode(code, options.pepper),
      codeLastFour: voucherLastFour(code),
    })),
    createdBy: options.createdBy,
    ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
  });
  return { batch, codes: [...codes] };
}
