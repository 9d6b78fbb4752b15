import { randomBytes } from 'node:crypto';

const RANDOM_LIMIT = 2 ** 48;
let lastMillis = -1;
let lastRandom = 0;

/**
 * 24 hex digits whose first 48 bits are the time in milliseconds (as in a ULID), so rows keyed by
 * them land on the last pages of an index instead of one random page each: every page a SQLite
 * commit touches is written to the WAL again. The other 48 bits are random, then incremented for
 * the next value in the same millisecond (or after the clock stepped back), so the values of one
 * process never repeat.
 */
export function timeOrderedHex(): string {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    lastRandom = randomBytes(6).readUIntBE(0, 6);
  } else {
    lastRandom = (lastRandom + 1) % RANDOM_LIMIT;
  }
  return `${lastMillis.toString(16).padStart(12, '0')}${lastRandom.toString(16).padStart(12, '0')}`;
}
