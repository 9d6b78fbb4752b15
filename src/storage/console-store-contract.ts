import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { unique, usageRecord } from './ledger-test-kit.ts';
import type { Store } from './store.ts';
import { StoreConstraintError } from './store-errors.ts';

const START = new Date('2030-01-02T03:04:05.678Z');
const HOUR = 3_600_000;

/** Console users, sessions and the console's reads; part of the store contract of every engine. */
export function registerConsoleStoreContract(
  label: string,
  open: (options: { now: () => Date }) => Promise<Store>,
): void {
  async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
    const store = await open({ now: () => START });
    try {
      await run(store);
    } finally {
      await store.close();
    }
  }

  async function newUser(store: Store, email = `${unique('user')}@example.com`) {
    const account = await store.createAccount({ name: unique('console') });
    const user = await store.createConsoleUser({
      email,
      passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      accountId: account.id,
      role: 'user',
      locale: 'ko',
    });
    return { account, user };
  }

  describe(`${label} console store`, () => {
    test('users: emails are lowercased and unique whatever their case', async () => {
      await withStore(async (store) => {
        const email = `${unique('Mixed.Case')}@Example.COM`;
        const { account, user } = await newUser(store, email);
        assert.match(user.id, /^cusr_[0-9a-f]{24}$/);
        assert.equal(user.email, email.toLowerCase());
        assert.deepEqual(await store.findConsoleUserByEmail(email.toUpperCase()), user);
        assert.deepEqual(await store.listConsoleUsers({ accountId: account.id }), [user]);
        await assert.rejects(
          store.createConsoleUser({
            email: email.toUpperCase(),
            passwordHash: 'x',
            accountId: account.id,
            role: 'user',
            locale: 'en',
          }),
          (error: unknown) =>
            error instanceof StoreConstraintError && error.constraint === 'unique',
        );
        assert.equal(await store.findConsoleUserByEmail(`${unique('nobody')}@x.org`), undefined);
      });
    });

    test('users: role, disabled, locale and last login change', async () => {
      await withStore(async (store) => {
        const { account, user } = await newUser(store);
        assert.equal(await store.setConsoleUserRole(user.email.toUpperCase(), 'admin'), true);
        assert.equal(await store.setConsoleUserRole(`${unique('ghost')}@x.org`, 'admin'), false);
        assert.equal(await store.setConsoleUsersDisabled(account.id, true), 1);
        const at = new Date(START.getTime() + HOUR);
        await store.recordConsoleLogin(user.id, at);
        await store.setConsoleUserLocale(user.id, 'en');
        const changed = await store.findConsoleUserByEmail(user.email);
        assert.equal(changed?.role, 'admin');
        assert.equal(changed?.disabled, true);
        assert.deepEqual(changed?.lastLoginAt, at);
        assert.equal(changed?.locale, 'en');
        assert.equal(await store.setConsoleUsersDisabled(account.id, false), 1);
        assert.equal((await store.findConsoleUserByEmail(user.email))?.disabled, false);
      });
    });

    test('sessions: found with their user until they expire, then gone', async () => {
      await withStore(async (store) => {
        const { user } = await newUser(store);
        const session = {
          idHash: randomBytes(32).toString('hex'),
          userId: user.id,
          csrfTokenHash: randomBytes(32).toString('hex'),
          createdAt: START,
          expiresAt: new Date(START.getTime() + HOUR),
        };
        await store.createConsoleSession(session);
        assert.deepEqual(await store.findConsoleSession(session.idHash, START), { session, user });
        assert.equal(await store.findConsoleSession('0'.repeat(64), START), undefined);
        assert.equal(await store.findConsoleSession(session.idHash, session.expiresAt), undefined);
        // Seen expired once: deleted, so even an earlier clock no longer finds it.
        assert.equal(await store.findConsoleSession(session.idHash, START), undefined);

        const other = { ...session, idHash: randomBytes(32).toString('hex') };
        await store.createConsoleSession(other);
        await store.deleteConsoleSession(other.idHash);
        assert.equal(await store.findConsoleSession(other.idHash, START), undefined);

        const stale = { ...session, idHash: randomBytes(32).toString('hex') };
        await store.createConsoleSession(stale);
        assert.ok((await store.deleteExpiredConsoleSessions(stale.expiresAt)) >= 1);
        assert.equal(await store.findConsoleSession(stale.idHash, START), undefined);
      });
    });

    test('activity: credits without usage, usage per day, usage rows newest first by cursor', async () => {
      await withStore(async (store) => {
        const { account } = await newUser(store);
        await store.postCredit({
          kind: 'top_up',
          accountId: account.id,
          amountMicros: 1_000_000n,
          idempotencyKey: unique('top-up'),
        });
        const days = [
          START,
          new Date(START.getTime() + HOUR),
          new Date(START.getTime() + 24 * HOUR),
        ];
        const requestIds: string[] = [];
        for (const [index, createdAt] of days.entries()) {
          const requestId = `req_${index}_${unique('r')}`;
          requestIds.push(requestId);
          const usage = {
            ...usageRecord({ requestId, accountId: account.id, costMicros: 100n, createdAt }),
            keyId: index === 2 ? 'key_other' : 'key_main',
            servedModel: index === 1 ? 'model-b' : 'model-a',
          };
          assert.equal((await store.settleUsage({ usage })).status, 'settled');
        }
        const credits = await store.listNonUsageLedgerEntries({ accountId: account.id, limit: 10 });
        assert.deepEqual(
          credits.map((entry) => [entry.kind, entry.amountMicros]),
          [['top_up', 1_000_000n]],
        );
        const daily = await store.listDailyUsageCharges({
          accountId: account.id,
          from: START,
          to: new Date(START.getTime() + 48 * HOUR),
        });
        assert.deepEqual(daily, [
          { date: '2030-01-03', chargedMicros: 100n, transactions: 1 },
          { date: '2030-01-02', chargedMicros: 200n, transactions: 2 },
        ]);

        const first = await store.listRecentUsageRecords({ accountId: account.id, limit: 2 });
        assert.deepEqual(
          first.map((row) => row.requestId),
          [requestIds[2], requestIds[1]],
        );
        const last = first.at(-1);
        assert.ok(last !== undefined);
        const rest = await store.listRecentUsageRecords({
          accountId: account.id,
          limit: 2,
          before: { createdAt: last.createdAt, requestId: last.requestId },
        });
        assert.deepEqual(
          rest.map((row) => row.requestId),
          [requestIds[0]],
        );
        const byModel = await store.listRecentUsageRecords({
          accountId: account.id,
          limit: 10,
          model: 'model-b',
        });
        assert.deepEqual(
          byModel.map((row) => row.requestId),
          [requestIds[1]],
        );
        const byKey = await store.listRecentUsageRecords({
          accountId: account.id,
          limit: 10,
          keyId: 'key_other',
        });
        assert.deepEqual(
          byKey.map((row) => row.requestId),
          [requestIds[2]],
        );
      });
    });
  });
}
