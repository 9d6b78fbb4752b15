import { isRecord } from '../util/safe-parse-json.ts';
import { StoreConstraintError } from './store-errors.ts';

const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const FOREIGN_KEY_CODES = new Set(['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY']);

/**
 * Turns either engine's constraint violation into a `StoreConstraintError`; anything else is
 * returned unchanged. Driver messages stay in `cause` only: they can quote the offending value.
 */
export function toConstraintError(error: unknown, what: string): unknown {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && UNIQUE_CODES.has(code)) {
    return new StoreConstraintError('unique', `${what} already exists.`, { cause: error });
  }
  if (code !== undefined && FOREIGN_KEY_CODES.has(code)) {
    return new StoreConstraintError('foreign-key', `${what} refers to a missing row.`, {
      cause: error,
    });
  }
  return error;
}
