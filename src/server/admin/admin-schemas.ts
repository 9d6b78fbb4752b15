import * as z from 'zod';
import { parseMoneyAmount } from '../../accounting/parse-money-amount.ts';
import { parseIsoDate } from '../../util/parse-iso-date.ts';

/** Zod schemas of the admin API's input pieces; bodies themselves are strict objects. */

const AMOUNT_TYPE_MESSAGE =
  'an amount is decimal text in whole currency units, e.g. "1000" or "12.5" (a JSON string, never a number)';

function amount(allowNegative: boolean) {
  return z.string({ error: AMOUNT_TYPE_MESSAGE }).transform((text, context) => {
    try {
      return parseMoneyAmount(text, { allowNegative });
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message : String(error),
      });
      return z.NEVER;
    }
  });
}

/** A positive amount, as micro-units. */
export const amountSchema = amount(false);
/** A non-zero amount that may be negative (a debit), as micro-units. */
export const signedAmountSchema = amount(true);

/** An ISO-8601 date-time with its zone, e.g. `2027-01-01T00:00:00Z`, or a date (midnight UTC). */
export const dateSchema = z
  .string({ error: 'a date is ISO-8601 text, e.g. "2027-01-01T00:00:00Z"' })
  .transform((text, context) => {
    const date = parseIsoDate(text);
    if (date === undefined) {
      context.addIssue({
        code: 'custom',
        message: `"${text}" is not an existing ISO-8601 date, or a date-time with its zone (e.g. "2027-01-01T00:00:00Z" or "2027-01-01")`,
      });
      return z.NEVER;
    }
    return date;
  });

/** Who did it, recorded on the ledger transaction; "admin-api" when the body names nobody. */
export const actorSchema = z.string().trim().min(1).max(100);

/** An external reference (bank transfer id, ticket): the idempotency key of a credit. */
export const referenceSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'a reference is printable ASCII without spaces');

export const reasonSchema = z.string().trim().min(1).max(500);

export const nameSchema = z.string().trim().min(1).max(100);
