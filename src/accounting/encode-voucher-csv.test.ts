import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeVoucherCsv } from './encode-voucher-csv.ts';

const batch = {
  id: 'vbat_1',
  name: 'March, "bank" sale',
  amountMicros: 10_000_500_000n,
  count: 2,
  createdBy: 'ops',
  createdAt: new Date('2026-03-01T00:00:00Z'),
  expiresAt: new Date('2026-12-31T00:00:00Z'),
  redeemedCount: 0,
};

test('one CRLF row per code, with the amount as exact decimal text and fields quoted as needed', () => {
  const csv = encodeVoucherCsv({
    batch,
    codes: ['SHEP-AAAA-BBBB-CCCC-DDDD', 'SHEP-EEEE-FFFF-GGGG-HHHH'],
    currency: 'KRW',
  });
  assert.equal(
    csv,
    'code,amount,currency,batch_id,batch_name,expires_at\r\n' +
      'SHEP-AAAA-BBBB-CCCC-DDDD,10000.5,KRW,vbat_1,"March, ""bank"" sale",2026-12-31T00:00:00.000Z\r\n' +
      'SHEP-EEEE-FFFF-GGGG-HHHH,10000.5,KRW,vbat_1,"March, ""bank"" sale",2026-12-31T00:00:00.000Z\r\n',
  );
});

test('a batch name a spreadsheet would run as a formula is defused', () => {
  const csv = encodeVoucherCsv({
    batch: { ...batch, name: '=HYPERLINK("x")', expiresAt: null },
    codes: ['SHEP-AAAA-BBBB-CCCC-DDDD'],
    currency: 'KRW',
  });
  assert.match(csv, /,"'=HYPERLINK\(""x""\)",\r\n$/);
});
