import { parseMoneyAmount } from '../accounting/parse-money-amount.ts';
import { parseIsoDate } from '../util/parse-iso-date.ts';

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

/**
 * An ISO-8601 date typed on the command line, e.g. `2027-01-01T00:00:00Z` or `2027-01-01` (midnight
 * UTC): a day that exists, and a time only with its zone.
 */
export function parseCliDate(text: string, what: string): Date {
  const date = parseIsoDate(text);
  if (date === undefined) {
    throw new Error(
      `${what}: not an existing ISO-8601 date, or a date-time with its zone: ${text} (e.g. 2027-01-01T00:00:00Z or 2027-01-01)`,
    );
  }
  return date;
}

/** A positive whole number typed on the command line. */
export function parseCliCount(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${what}: not a whole number: ${text}`);
  return Number(text);
}
