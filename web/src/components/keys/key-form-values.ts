/** Whole units with at most 6 decimals: the API's smallest amount is one micro-unit. */
const AMOUNT_PATTERN = /^\d+(\.\d{1,6})?$/;

/**
 * The spend cap field as the API wants it: `null` for empty (no cap), the decimal text for a
 * positive amount, `undefined` when the text is not one. Group separators typed by habit
 * ("50,000") are dropped so the user is not refused for them.
 */
export function parseCapInput(text: string): string | null | undefined {
  const compact = text.replace(/[\s,]/g, '');
  if (compact === '') return null;
  if (!AMOUNT_PATTERN.test(compact) || !/[1-9]/.test(compact)) return undefined;
  return compact;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A local date as `<input type="date">` writes it. */
export function toDateInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The key works through the whole chosen day in the user's own time zone, so "expires after the
 * 31st" never cuts the 31st short for someone east or west of UTC.
 */
export function expiryDateToIso(dateInput: string): string {
  const [year, month, day] = dateInput.split('-').map(Number);
  const end = new Date(year ?? 0, (month ?? 1) - 1, day ?? 1, 23, 59, 59, 999);
  return end.toISOString();
}

/** The date field's value for a stored expiry; empty for none. */
export function expiryIsoToDateInput(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : toDateInputValue(date);
}

/** `YYYY-MM-DD` strings compare correctly as text. */
export function isBeforeToday(dateInput: string, now: Date = new Date()): boolean {
  return dateInput < toDateInputValue(now);
}
