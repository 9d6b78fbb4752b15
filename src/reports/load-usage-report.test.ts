import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LedgerStore, UsageRecord } from '../storage/ledger-store.ts';
import { openStore } from '../storage/open-store.ts';
import { loadUsageReport } from './load-usage-report.ts';
import { InvalidReportMonthError } from './parse-report-month.ts';
import { makeUsageRecord } from './test-support/make-usage-record.ts';

async function charge(
  store: LedgerStore,
  input: { requestId: string; accountId: string; costMicros: bigint; createdAt: Date },
): Promise<void> {
  const reserved = await store.reserveCredit({
    requestId: input.requestId,
    accountId: input.accountId,
    keyId: 'key_test',
    amountMicros: input.costMicros,
    expiresAt: new Date(input.createdAt.getTime() + 60_000),
  });
  assert.equal(reserved.status, 'reserved');
  await store.settleUsage({
    usage: makeUsageRecord({ ...input, keyId: 'key_test', servedModel: 'gpt-4.1' }),
  });
}

test('reads the month’s records and ledger charges for the account, boundaries included', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  try {
    const alice = await store.createAccount({ name: 'alice' });
    const bob = await store.createAccount({ name: 'bob' });
    for (const account of [alice, bob]) {
      await store.postCredit({
        kind: 'top_up',
        accountId: account.id,
        amountMicros: 1_000_000_000n,
        idempotencyKey: `top-up:${account.id}`,
      });
    }
    await charge(store, {
      requestId: 'req_a1',
      accountId: alice.id,
      costMicros: 1_500_000n,
      createdAt: new Date('2026-11-01T00:00:00.000Z'),
    });
    await charge(store, {
      requestId: 'req_a2',
      accountId: alice.id,
      costMicros: 7n,
      createdAt: new Date('2026-11-30T23:59:59.999Z'),
    });
    await charge(store, {
      requestId: 'req_a3',
      accountId: alice.id,
      costMicros: 100n,
      createdAt: new Date('2026-12-01T00:00:00.000Z'),
    });
    await charge(store, {
      requestId: 'req_b1',
      accountId: bob.id,
      costMicros: 20n,
      createdAt: new Date('2026-11-10T00:00:00.000Z'),
    });

    const aliceNovember = await loadUsageReport({
      store,
      month: '2026-11',
      accountId: alice.id,
      currency: 'KRW',
    });
    assert.equal(aliceNovember.total.requests, 2);
    assert.equal(aliceNovember.total.costMicros, 1_500_007n);
    assert.equal(aliceNovember.ledgerTotalMicros, 1_500_007n);
    assert.equal(aliceNovember.matchesLedger, true);
    assert.equal(aliceNovember.accountId, alice.id);

    const everyone = await loadUsageReport({ store, month: '2026-11', currency: 'KRW' });
    assert.equal(everyone.total.requests, 3);
    assert.equal(everyone.ledgerTotalMicros, 1_500_027n);
    assert.equal(everyone.matchesLedger, true);

    const december = await loadUsageReport({ store, month: '2026-12', currency: 'KRW' });
    assert.equal(december.total.costMicros, 100n);
    assert.equal(december.days[0]?.costMicros, 100n);

    await assert.rejects(
      loadUsageReport({ store, month: '2026-13', currency: 'KRW' }),
      InvalidReportMonthError,
    );
  } finally {
    await store.close();
  }
});

/** A ledger that gains a charge (and its record) while the report reads it, `settles` times. */
function settlingStore(settles: number) {
  const records: UsageRecord[] = [];
  let ledger = 0n;
  let sums = 0;
  const settle = () => {
    records.push(
      makeUsageRecord({
        requestId: `req_${records.length}`,
        createdAt: new Date('2026-11-05T00:00:00.000Z'),
        costMicros: 10n,
      }),
    );
    ledger += 10n;
  };
  const store: Pick<LedgerStore, 'listUsageRecords' | 'sumUsageCharges'> = {
    async listUsageRecords() {
      return [...records];
    },
    async sumUsageCharges() {
      sums += 1;
      // Settles land right after the records were read, before the second sum.
      if (sums % 2 === 0 && sums / 2 <= settles) settle();
      return ledger;
    },
  };
  return { store, sumCalls: () => sums };
}

test('a charge landing between the two reads is read again rather than reported as drift', async () => {
  const { store, sumCalls } = settlingStore(1);
  const report = await loadUsageReport({ store, month: '2026-11', currency: 'KRW' });
  assert.equal(report.total.costMicros, 10n);
  assert.equal(report.matchesLedger, true);
  assert.equal(sumCalls(), 4);
});

test('when charges keep landing, the third read is reported as it is', async () => {
  const { store, sumCalls } = settlingStore(Number.POSITIVE_INFINITY);
  const report = await loadUsageReport({ store, month: '2026-11', currency: 'KRW' });
  assert.equal(sumCalls(), 6);
  assert.equal(report.total.costMicros, 20n);
  assert.equal(report.ledgerTotalMicros, 30n);
  assert.equal(report.matchesLedger, false);
});
