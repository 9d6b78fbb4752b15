import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedHex } from './time-ordered-hex.ts';

test('each new millisecond draws fresh random bits, across refills of the random pool', (t) => {
  let clock = Date.now() + 1_000_000;
  t.mock.method(Date, 'now', () => {
    clock += 1;
    return clock;
  });
  // 2,000 milliseconds span four refills of the 512-draw pool.
  const values = Array.from({ length: 2_000 }, () => timeOrderedHex());
  const randomHalves = values.map((value) => value.slice(12));
  assert.equal(new Set(randomHalves).size, values.length, 'a random part repeated');
  for (const [index, value] of values.entries()) {
    assert.equal(Number.parseInt(value.slice(0, 12), 16), clock - values.length + 1 + index);
  }
});

test('within one millisecond the random part counts up', (t) => {
  const frozen = Date.now() + 2_000_000;
  t.mock.method(Date, 'now', () => frozen);
  const [first, second] = [timeOrderedHex(), timeOrderedHex()];
  assert.equal(
    Number.parseInt(second.slice(12), 16),
    (Number.parseInt(first.slice(12), 16) + 1) % 2 ** 48,
  );
});

test('both halves keep 12 digits: small values are padded with zeros', async (t) => {
  // A module instance of its own: the shared one has seen later clocks and would keep to them.
  const freshInstance = './time-ordered-hex.ts?padding';
  const fresh: { timeOrderedHex: () => string } = await import(freshInstance);
  t.mock.method(Date, 'now', () => 1);
  const value = fresh.timeOrderedHex();
  assert.match(value, /^[0-9a-f]{24}$/);
  assert.equal(value.slice(0, 12), '000000000001');
});
