import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCliDate } from './parse-cli-input.ts';

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
