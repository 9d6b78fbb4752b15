import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseCliDate, parseCliPort } from './parse-cli-input.ts';

test('parseCliDate takes a date-time with its zone or a date, as that instant', () => {
  assert.equal(
    parseCliDate('2027-01-01T00:00:00Z', '--expires').toISOString(),
    '2027-01-01T00:00:00.000Z',
  );
  assert.equal(parseCliDate('2027-03-01', '--expires').toISOString(), '2027-03-01T00:00:00.000Z');
});

test('parseCliDate refuses a day that does not exist, a zoneless time and a bare number', () => {
  for (const text of ['2027-02-30T00:00:00Z', '2027-02-30', '2027-01-01T00:00:00', '12']) {
    assert.throws(
      () => parseCliDate(text, '--expires'),
      /^Error: --expires: not an existing ISO-8601 date/,
      text,
    );
  }
});

test('parseCliPort takes a whole number from 0 to 65535 and refuses anything else whole', () => {
  assert.equal(parseCliPort('8080'), 8080);
  assert.equal(parseCliPort('0'), 0);
  for (const text of ['8080abc', '8O80', '80.5', '1e3', '-1', '65536', '', 'abc']) {
    assert.throws(
      () => parseCliPort(text),
      (error: unknown) => error instanceof InvalidArgumentError && /0 to 65535/.test(error.message),
      text,
    );
  }
});
