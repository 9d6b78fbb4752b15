import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Every Shepherd key starts with this; keys of other services never do. */
export const API_KEY_PREFIX = 'sk-shep-';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 34;
// 62^6 > 2^32, so six characters hold any CRC-32.
const CHECKSUM_LENGTH = 6;
const DISPLAY_START_LENGTH = 4;
const WELL_FORMED = new RegExp(
  `^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`,
);

export interface GeneratedApiKey {
  /** The secret: shown to its owner once, never stored or logged. */
  key: string;
  /** The displayable start, e.g. `sk-shep-AbCd`. */
  prefix: string;
  lastFour: string;
}

/** Base62 characters from the CSPRNG, by rejection sampling so every character is equally likely. */
function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first eight characters.
      if (byte < 248 && text.length < length) text += BASE62[byte % 62];
    }
  }
  return text;
}

function checksum(body: string): string {
  let value = crc32(body);
  let text = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index += 1) {
    text = BASE62[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

/**
 * A new key: `sk-shep-` then 40 base62 characters, 34 random (about 202 bits) and a 6-character
 * CRC-32 of everything before it, so typos and foreign keys fail without a database lookup.
 */
export function generateApiKey(): GeneratedApiKey {
  const body = API_KEY_PREFIX + randomBase62(RANDOM_LENGTH);
  const key = body + checksum(body);
  return {
    key,
    prefix: key.slice(0, API_KEY_PREFIX.length + DISPLAY_START_LENGTH),
    lastFour: key.slice(-4),
  };
}

/** Shape and checksum only: says whether a key could be ours, not whether it exists. */
export function isWellFormedApiKey(key: string): boolean {
  if (!WELL_FORMED.test(key)) return false;
  const split = key.length - CHECKSUM_LENGTH;
  return checksum(key.slice(0, split)) === key.slice(split);
}

/** HMAC-SHA256 of the key under the server's pepper, hex: what the database stores and indexes. */
export function hashApiKey(key: string, pepper: string): string {
  if (pepper === '') throw new Error('The API key pepper must not be empty.');
  return createHmac('sha256', pepper).update(key).digest('hex');
}

/** The safe way to show a key: `sk-shep-AbCd…wxyz`. */
export function displayApiKey(prefix: string, lastFour: string): string {
  return `${prefix}…${lastFour}`;
}
