import { randomBytes } from 'node:crypto';
import { timeOrderedHex } from '../util/time-ordered-hex.ts';

/** A row id such as `acct_4f1c0e9a7b3d2c5e8f6a1b0c`: the prefix and 96 random bits in hex. */
export function generateId(prefix: 'acct' | 'key' | 'txn' | 'vbat' | 'vchr' | 'cusr'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/**
 * An id in the same format whose first 48 bits are the time in milliseconds (see
 * `timeOrderedHex`): rows inserted together share the last pages of the primary-key index.
 */
export function generateTimeOrderedId(prefix: 'txn'): string {
  return `${prefix}_${timeOrderedHex()}`;
}
