import { randomBytes } from 'node:crypto';

/** A row id such as `acct_4f1c0e9a7b3d2c5e8f6a1b0c`: the prefix and 96 random bits in hex. */
export function generateId(prefix: 'acct' | 'key' | 'txn' | 'vbat' | 'vchr'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
