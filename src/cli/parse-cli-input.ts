import { parseMoneyAmount } from '../accounting/parse-money-amount.ts';

/** An amount typed on the command line, or an error naming the argument it came from. */
export function parseCliAmount(
  text: string,
  what: string,
  options: { allowNegative?: boolean } = {},
): bigint {
  try {
    return parseMoneyAmount(text, options);
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An ISO-8601 date typed on the command line, e.g. `2027-01-01T00:00:00Z` or `2027-01-01`. */
export function parseCliDate(text: string, what: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new Error(`${what}: not an ISO-8601 date: ${text} (e.g. 2027-01-01T00:00:00Z)`);
  }
  return date;
}

/** A positive whole number typed on the command line. */
export function parseCliCount(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${what}: not a whole number: ${text}`);
  return Number(text);
}
