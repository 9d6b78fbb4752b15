import { createHmac, randomBytes } from 'node:crypto';

/** Every voucher code starts with this, so a code is recognisable at a glance and in support mail. */
export const VOUCHER_CODE_PREFIX = 'SHEP';

/**
 * 32 symbols without 0/O and 1/I, which people misread when a code is printed or read out. A power
 * of two, so one random byte masked to five bits picks a symbol with no bias.
 */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;
/** 16 symbols × 5 bits = 80 bits of randomness. */
const BODY_LENGTH = GROUPS * GROUP_LENGTH;
const BODY = new RegExp(`^[${ALPHABET}]{${BODY_LENGTH}}$`);
const SEPARATED_PREFIX = new RegExp(`^${VOUCHER_CODE_PREFIX}[\\s_-]`);

/** A new code, e.g. `SHEP-7KQ2-M9XD-H4TB-WC3R`: shown once, stored only as its HMAC digest. */
export function generateVoucherCode(): string {
  let body = '';
  for (const byte of randomBytes(BODY_LENGTH)) body += ALPHABET[byte & 0x1f];
  return format(body);
}

/**
 * The canonical form of a code as someone typed it (any case, spaces, dashes or underscores
 * anywhere, the `SHEP` prefix optional), or undefined when it cannot be one of our codes.
 */
export function normalizeVoucherCode(input: string): string | undefined {
  const upper = input.trim().toUpperCase();
  let compact = upper.replace(/[\s_-]+/g, '');
  // The prefix's letters are also code symbols: a separator after it, or the length, tells
  // whether it is there.
  if (SEPARATED_PREFIX.test(upper) || compact.length === VOUCHER_CODE_PREFIX.length + BODY_LENGTH) {
    if (!compact.startsWith(VOUCHER_CODE_PREFIX)) return undefined;
    compact = compact.slice(VOUCHER_CODE_PREFIX.length);
  }
  return BODY.test(compact) ? format(compact) : undefined;
}

/**
 * HMAC-SHA256 (hex) of the canonical code under the server pepper (the API keys' pepper): what the
 * database stores and looks up. Throws for text that is not a code.
 */
export function hashVoucherCode(code: string, pepper: string): string {
  if (pepper === '') throw new Error('The voucher pepper must not be empty.');
  const canonical = normalizeVoucherCode(code);
  if (canonical === undefined) throw new TypeError('Not a voucher code.');
  return createHmac('sha256', pepper).update(canonical).digest('hex');
}

/** The last four symbols, the only part of a code that is stored and shown after generation. */
export function voucherLastFour(code: string): string {
  const canonical = normalizeVoucherCode(code);
  if (canonical === undefined) throw new TypeError('Not a voucher code.');
  return canonical.slice(-4);
}

function format(body: string): string {
  const groups: string[] = [];
  for (let start = 0; start < body.length; start += GROUP_LENGTH) {
    groups.push(body.slice(start, start + GROUP_LENGTH));
  }
  return [VOUCHER_CODE_PREFIX, ...groups].join('-');
}
