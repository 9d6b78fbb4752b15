import { InvalidArgumentError } from 'commander';
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

/**
 * `--port` as commander's option parser: the whole text must be a port number (`Number.parseInt`
 * took `8080abc` as 8080 and `8O80` as 8, and the gateway listened there).
 */
export function parseCliPort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port <= 65_535)) {
    throw new InvalidArgumentError('A port is a whole number from 0 to 65535.');
  }
  return port;
}
