import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRedemptionsCsv } from './encode-redemptions-csv.ts';

test('redemptions CSV: RFC 4180, empty cells for nulls, and text a spreadsheet would run defused', () => {
  const csv = encodeRedemptionsCsv([
    { id: 'vch_1', lastFour: 'ABCD', state: 'available', redeemedAt: null, redeemedBy: null },
    {
      id: 'vch_2',
      lastFour: 'WXYZ',
      state: 'redeemed',
      redeemedAt: '2026-11-02T00:00:00.000Z',
      redeemedBy: '@SUM(1+1)',
    },
  ]);
  assert.equal(
    csv,
    'voucher_id,code_last_four,state,redeemed_at,redeemed_by_account\r\n' +
      'vch_1,ABCD,available,,\r\n' +
      "vch_2,WXYZ,redeemed,2026-11-02T00:00:00.000Z,'@SUM(1+1)\r\n",
  );
});
