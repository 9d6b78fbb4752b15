import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  generateVoucherCode,
  hashVoucherCode,
  normalizeVoucherCode,
  voucherLastFour,
} from './voucher-codes.ts';

const FORMAT = /^SHEP-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

test('a code is SHEP and four groups of four unambiguous symbols (80 random bits)', () => {
  const codes = Array.from({ length: 2000 }, generateVoucherCode);
  for (const code of codes) {
    assert.match(code, FORMAT);
    assert.doesNotMatch(code.slice(5), /[01OI]/);
  }
  assert.equal(new Set(codes).size, codes.length);
  // Every one of the 32 symbols shows up at every position: none is stuck or left out.
  const bodies = codes.map((code) => code.slice(5).replaceAll('-', ''));
  for (let position = 0; position < 16; position += 1) {
    const seen = new Set(bodies.map((body) => body[position]));
    assert.equal(seen.size, 32, `position ${position}`);
  }
});

test('normalisation tolerates case, spaces, dashes and a missing prefix', () => {
  const code = 'SHEP-7KQ2-M9XD-H4TB-WC3R';
  for (const typed of [
    code,
    code.toLowerCase(),
    ' shep 7kq2 m9xd h4tb wc3r ',
    'SHEP7KQ2M9XDH4TBWC3R',
    '7KQ2-M9XD-H4TB-WC3R',
    '7kq2m9xdh4tbwc3r',
    'shep_7KQ2__M9XD-h4tb--wc3r',
  ]) {
    assert.equal(normalizeVoucherCode(typed), code, typed);
  }
});

test('normalisation rejects what cannot be a code', () => {
  for (const typed of [
    '',
    'SHEP',
    'SHEP-7KQ2-M9XD-H4TB',
    'SHEP-7KQ2-M9XD-H4TB-WC3R-AAAA',
    'SHEP-7KQ2-M9XD-H4TB-WC3',
    'SHEP-0KQ2-M9XD-H4TB-WC3R',
    'SHEP-OKQ2-M9XD-H4TB-WC3R',
    'SHEP-1KQ2-M9XD-H4TB-WC3R',
    'SHEP-IKQ2-M9XD-H4TB-WC3R',
    'XXXX-7KQ2-M9XD-H4TB-WC3R',
    'SHEP-7KQ2-M9XD-H4TB-WC3R!',
    'sk-shep-abcdefabcdefabcdef',
  ]) {
    assert.equal(normalizeVoucherCode(typed), undefined, typed);
  }
});

test('the digest is HMAC-SHA256 of the canonical code under the pepper', () => {
  const code = generateVoucherCode();
  const digest = hashVoucherCode(code, 'pepper-one-0123456789');
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.equal(
    hashVoucherCode(code.toLowerCase().replaceAll('-', ' '), 'pepper-one-0123456789'),
    digest,
  );
  assert.notEqual(hashVoucherCode(code, 'pepper-two-0123456789'), digest);
  assert.notEqual(hashVoucherCode(generateVoucherCode(), 'pepper-one-0123456789'), digest);
  assert.throws(() => hashVoucherCode(code, ''), /pepper/);
  assert.throws(() => hashVoucherCode('not a code', 'pepper-one-0123456789'), TypeError);
});

test('the last four are the last four symbols of the canonical code', () => {
  assert.equal(voucherLastFour('shep-7kq2-m9xd-h4tb-wc3r'), 'WC3R');
  assert.throws(() => voucherLastFour('nope'), TypeError);
});
