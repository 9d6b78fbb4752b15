import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateSchema } from './admin-schemas.ts';

test('dateSchema takes a date-time with its zone or a date, as that instant', () => {
  assert.equal(
    dateSchema.parse('2027-01-01T09:00:00+09:00').toISOString(),
    '2027-01-01T00:00:00.000Z',
  );
  assert.equal(dateSchema.parse('2027-03-01').toISOString(), '2027-03-01T00:00:00.000Z');
});

test('dateSchema refuses a day that does not exist and a time without its zone', () => {
  for (const text of ['2027-02-30T00:00:00Z', '2027-02-30', '2027-01-01T00:00:00', '2027-01-01x']) {
    const parsed = dateSchema.safeParse(text);
    assert.equal(parsed.success, false, `${text} accepted as ${parsed.data?.toISOString()}`);
    assert.match(parsed.error?.issues[0]?.message ?? '', /with its zone/);
  }
});
