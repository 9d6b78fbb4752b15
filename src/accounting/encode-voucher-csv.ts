import type { VoucherBatch } from '../storage/ledger-store.ts';
import { csvTextCell } from '../util/csv-cell.ts';
import { microsToDecimalText } from './micros-to-decimal-text.ts';

/**
 * A batch's codes as CSV (RFC 4180, CRLF line ends), one row per code, for the operator to hand
 * out or import elsewhere. Cells a spreadsheet would run as a formula are prefixed with `'`.
 */
export function encodeVoucherCsv(options: {
  batch: VoucherBatch;
  codes: readonly string[];
  currency: string;
}): string {
  const { batch } = options;
  const header = ['code', 'amount', 'currency', 'batch_id', 'batch_name', 'expires_at'];
  const rows = options.codes.map((code) => [
    code,
    microsToDecimalText(batch.amountMicros),
    options.currency,
    batch.id,
    batch.name,
    batch.expiresAt?.toISOString() ?? '',
  ]);
  return `${[header, ...rows].map((row) => row.map(csvTextCell).join(',')).join('\r\n')}\r\n`;
}
