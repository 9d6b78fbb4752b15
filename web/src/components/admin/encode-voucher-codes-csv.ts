import type { GeneratedBatch } from '../../api/admin-schemas.ts';

/**
 * A freshly generated batch's codes as CSV, with the columns the API's `?format=csv` answer has,
 * built from the JSON the page already holds (asking again would mint a second batch).
 */
export function encodeVoucherCodesCsv({ batch, codes }: GeneratedBatch): string {
  const header = ['code', 'amount', 'currency', 'batch_id', 'batch_name', 'expires_at'];
  const rows = codes.map((code) => [
    code,
    batch.amount,
    batch.currency,
    batch.id,
    batch.name,
    batch.expiresAt ?? '',
  ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

// A batch name is typed by a person: keep a spreadsheet from running it as a formula.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
