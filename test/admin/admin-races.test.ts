import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as z from 'zod';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { errorSchema, expect, send } from '../helpers/admin-test-client.ts';
import {
  freshSchema,
  POSTGRES_TEST_URL,
  requirePostgres,
} from '../helpers/postgres-test-schema.ts';
import {
  ADMIN_TEST_PEPPER,
  type AdminTestApp,
  startAdminTestApp,
} from '../helpers/start-admin-test-app.ts';

/**
 * Test plan D7 and the voucher promise, on engines with real concurrent writers: identical top-ups
 * racing credit once, and one code redeemed by 20 accounts at once credits exactly one of them.
 */
function registerRaceTests(engine: string, open: () => Promise<Store>): void {
  describe(`admin races on ${engine}`, () => {
    let store: Store;
    let harness: AdminTestApp;
    before(async () => {
      store = await open();
      harness = await startAdminTestApp({
        store,
        configure: (config) => {
          config.billing.signupBonus = '0';
        },
      });
    });
    after(async () => {
      await harness.app.close();
      await store.close();
    });

    test('5 concurrent identical top-ups and a later replay credit once (D7)', async () => {
      const account = await store.ensureAccount('racer');
      const body = { amount: '30000', reference: 'wire-0042' };
      const url = `/admin/api/accounts/${account.id}/top-ups`;
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => send(harness.app, 'POST', url, { body })),
      );
      assert.deepEqual(burst.map((response) => response.status).sort(), [200, 200, 200, 200, 201]);
      assert.equal((await send(harness.app, 'POST', url, { body })).status, 200);
      assert.equal((await store.getBalance(account.id)).postedMicros, 30_000_000_000n);
      const entries = await store.listLedgerEntries({ accountId: account.id, limit: 10 });
      assert.equal(entries.length, 1);
    });

    test('20 accounts redeeming one code at once: exactly one is credited', async () => {
      const generated = await send(harness.app, 'POST', '/admin/api/vouchers/batches', {
        body: { name: 'race', amount: '5000', count: 1 },
      });
      const { codes } = expect(generated, 201, z.object({ codes: z.array(z.string()) }));
      const code = codes[0] ?? '';
      const keys = [];
      for (let index = 0; index < 20; index += 1) {
        keys.push(
          await issueApiKey({
            store,
            pepper: ADMIN_TEST_PEPPER,
            accountName: `redeemer-${index}`,
            keyName: 'k',
          }),
        );
      }
      const results = await Promise.all(
        keys.map((key) =>
          send(harness.app, 'POST', '/v1/vouchers/redeem', {
            auth: `Bearer ${key.key}`,
            body: { code },
          }),
        ),
      );
      const winners = results.filter((response) => response.status === 200);
      assert.equal(winners.length, 1, results.map((response) => response.text).join('\n'));
      for (const response of results.filter((candidate) => candidate.status !== 200)) {
        assert.match(expect(response, 400, errorSchema).error.message, /already redeemed/);
      }
      let credited = 0n;
      for (const key of keys) credited += (await store.getBalance(key.accountId)).postedMicros;
      assert.equal(credited, 5_000_000_000n);
      assert.deepEqual(await store.checkLedger(new Date()), []);
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'shepherd-admin-races-'));
after(() => rmSync(directory, { recursive: true, force: true }));
registerRaceTests('a SQLite file', () =>
  openStore({ url: `sqlite:${join(directory, 'shepherd.db')}` }),
);

if (await requirePostgres('admin races on PostgreSQL')) {
  const schema = await freshSchema('admin_races');
  registerRaceTests('PostgreSQL', () => openStore({ url: POSTGRES_TEST_URL, schema }));
}
