import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { registerConsoleStoreContract } from './console-store-contract.ts';
import type { NewApiKey, Store } from './store.ts';
import { AmbiguousKeyPrefixError, StoreConstraintError } from './store-errors.ts';

export interface StoreContractTarget {
  /** Opens a store on the engine under test. Several opens may share one database. */
  open(options: { now: () => Date; migrate?: boolean }): Promise<Store>;
}

function createClock(startIso = '2030-01-02T03:04:05.678Z') {
  let current = new Date(startIso).getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds: number) => {
      current += milliseconds;
    },
  };
}

/** Unique per call, so tests never collide on a shared database. */
function unique(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

function newKey(accountId: string, overrides: Partial<NewApiKey> = {}): NewApiKey {
  return {
    accountId,
    name: 'default',
    prefix: `sk-shep-${randomBytes(3).toString('hex')}`,
    lastFour: 'wxyz',
    keyHash: randomBytes(32).toString('hex'),
    ...overrides,
  };
}

type Clock = ReturnType<typeof createClock>;

/** Registers the storage contract tests; every engine must pass all of them unchanged. */
export function registerStoreContract(label: string, target: StoreContractTarget): void {
  async function withStore(run: (store: Store, clock: Clock) => Promise<void>): Promise<void> {
    const clock = createClock();
    const store = await target.open({ now: clock.now });
    try {
      await run(store, clock);
    } finally {
      await store.close();
    }
  }

  describe(`${label} store contract`, () => {
    test('migrate() is idempotent and the schema works after it', async () => {
      const clock = createClock();
      const store = await target.open({ now: clock.now, migrate: false });
      try {
        await store.migrate();
        await store.migrate();
        const account = await store.createAccount({ name: unique('migrated') });
        assert.equal((await store.getAccountById(account.id))?.name, account.name);
      } finally {
        await store.close();
      }
    });

    test('accounts: create, get by id and name, list oldest first', async () => {
      await withStore(async (store, clock) => {
        const first = await store.createAccount({ name: unique('alice') });
        clock.advance(1_000);
        const second = await store.createAccount({ name: unique('bob') });
        assert.match(first.id, /^acct_[0-9a-f]{24}$/);
        assert.deepEqual(first.createdAt, new Date('2030-01-02T03:04:05.678Z'));
        assert.equal(first.disabledAt, null);
        assert.deepEqual(await store.getAccountById(first.id), first);
        assert.deepEqual(await store.getAccountByName(second.name), second);
        assert.equal(await store.getAccountById('acct_missing'), undefined);
        assert.equal(await store.getAccountByName(unique('nobody')), undefined);
        const listed = (await store.listAccounts()).filter((account) =>
          [first.id, second.id].includes(account.id),
        );
        assert.deepEqual(listed, [first, second]);
      });
    });

    test('account names are unique', async () => {
      await withStore(async (store) => {
        const name = unique('taken');
        await store.createAccount({ name });
        await assert.rejects(
          store.createAccount({ name }),
          (error) => error instanceof StoreConstraintError && error.constraint === 'unique',
        );
      });
    });

    test('ensureAccount returns the existing account and is safe under concurrency', async () => {
      await withStore(async (store) => {
        const existing = await store.createAccount({ name: unique('existing') });
        assert.deepEqual(await store.ensureAccount(existing.name), existing);
        const name = unique('raced');
        const results = await Promise.all(
          Array.from({ length: 25 }, () => store.ensureAccount(name)),
        );
        assert.equal(new Set(results.map((account) => account.id)).size, 1);
        const named = (await store.listAccounts()).filter((account) => account.name === name);
        assert.equal(named.length, 1);
      });
    });

    test('setAccountDisabled sets, keeps and clears disabledAt', async () => {
      await withStore(async (store, clock) => {
        const account = await store.createAccount({ name: unique('disabled') });
        clock.advance(5_000);
        assert.equal(await store.setAccountDisabled(account.id, true), true);
        const disabledAt = clock.now();
        clock.advance(5_000);
        await store.setAccountDisabled(account.id, true);
        assert.deepEqual((await store.getAccountById(account.id))?.disabledAt, disabledAt);
        await store.setAccountDisabled(account.id, false);
        assert.equal((await store.getAccountById(account.id))?.disabledAt, null);
        assert.equal(await store.setAccountDisabled('acct_missing', true), false);
      });
    });

    test('insertApiKey and findApiKeyByHash return the key with its account', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('keys') });
        const expiresAt = new Date('2031-01-01T00:00:00.000Z');
        const inserted = await store.insertApiKey(newKey(account.id, { expiresAt }));
        assert.match(inserted.id, /^key_[0-9a-f]{24}$/);
        assert.deepEqual(inserted.expiresAt, expiresAt);
        assert.equal(inserted.revokedAt, null);
        assert.equal(inserted.lastUsedAt, null);
        const found = await store.findApiKeyByHash(inserted.keyHash);
        assert.deepEqual(found, { ...inserted, account });
        const withoutExpiry = await store.insertApiKey(newKey(account.id));
        assert.equal(withoutExpiry.expiresAt, null);
        assert.equal(await store.findApiKeyByHash('0'.repeat(64)), undefined);
        assert.equal(await store.findApiKeyByHash("' OR '1'='1"), undefined);
      });
    });

    test('key hashes are unique and keys need an existing account', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('constraints') });
        const key = await store.insertApiKey(newKey(account.id));
        await assert.rejects(
          store.insertApiKey(newKey(account.id, { keyHash: key.keyHash })),
          (error) => error instanceof StoreConstraintError && error.constraint === 'unique',
        );
        await assert.rejects(
          store.insertApiKey(newKey('acct_missing')),
          (error) => error instanceof StoreConstraintError && error.constraint === 'foreign-key',
        );
      });
    });

    test('listApiKeys filters by account, oldest first, revoked included', async () => {
      await withStore(async (store, clock) => {
        const owner = await store.createAccount({ name: unique('owner') });
        const other = await store.createAccount({ name: unique('other') });
        const first = await store.insertApiKey(newKey(owner.id, { name: 'first' }));
        clock.advance(10);
        const second = await store.insertApiKey(newKey(owner.id, { name: 'second' }));
        const foreign = await store.insertApiKey(newKey(other.id));
        await store.revokeApiKey(first.id);
        const listed = await store.listApiKeys({ accountId: owner.id });
        assert.deepEqual(
          listed.map((key) => [key.id, key.revokedAt !== null]),
          [
            [first.id, true],
            [second.id, false],
          ],
        );
        const all = (await store.listApiKeys()).map((key) => key.id);
        for (const id of [first.id, second.id, foreign.id]) assert.ok(all.includes(id));
      });
    });

    test('revokeApiKey by id revokes once and keeps the row', async () => {
      await withStore(async (store, clock) => {
        const account = await store.createAccount({ name: unique('revoke') });
        const key = await store.insertApiKey(newKey(account.id));
        clock.advance(60_000);
        assert.equal(await store.revokeApiKey(key.id), true);
        assert.equal(await store.revokeApiKey(key.id), false);
        assert.deepEqual((await store.findApiKeyByHash(key.keyHash))?.revokedAt, clock.now());
        assert.equal(await store.revokeApiKey('key_missing'), false);
      });
    });

    test('revokeApiKey by prefix refuses an ambiguous prefix', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('prefix') });
        const single = await store.insertApiKey(newKey(account.id));
        assert.equal(await store.revokeApiKey(single.prefix), true);
        assert.equal(await store.revokeApiKey(single.prefix), false);

        const prefix = `sk-shep-${randomBytes(3).toString('hex')}`;
        const one = await store.insertApiKey(newKey(account.id, { prefix }));
        const two = await store.insertApiKey(newKey(account.id, { prefix }));
        await assert.rejects(
          store.revokeApiKey(prefix),
          (error) => error instanceof AmbiguousKeyPrefixError && error.matchCount === 2,
        );
        assert.equal((await store.findApiKeyByHash(one.keyHash))?.revokedAt, null);
        assert.equal(await store.revokeApiKey(one.id), true);
        assert.equal(await store.revokeApiKey(prefix), true);
        assert.notEqual((await store.findApiKeyByHash(two.keyHash))?.revokedAt, null);
        assert.equal(await store.revokeApiKey('sk-shep-none'), false);
      });
    });

    test('touchApiKey records use and never moves it backwards', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('touch') });
        const key = await store.insertApiKey(newKey(account.id));
        const later = new Date('2030-06-01T00:00:00.000Z');
        await store.touchApiKey(key.id, later);
        await store.touchApiKey(key.id, new Date('2030-05-01T00:00:00.000Z'));
        assert.deepEqual((await store.findApiKeyByHash(key.keyHash))?.lastUsedAt, later);
        const latest = new Date('2030-07-01T00:00:00.000Z');
        await store.touchApiKey(key.id, latest);
        assert.deepEqual((await store.findApiKeyByHash(key.keyHash))?.lastUsedAt, latest);
      });
    });

    test('text that looks like SQL is stored as data', async () => {
      await withStore(async (store) => {
        const name = `${unique('x')}' OR 1=1; --`;
        const account = await store.createAccount({ name });
        assert.equal((await store.getAccountByName(name))?.id, account.id);
        assert.equal(await store.getAccountByName("' OR 1=1; --"), undefined);
      });
    });

    test('ping answers while open; close is idempotent and ends it', async () => {
      const store = await target.open({ now: createClock().now });
      await store.ping();
      await store.close();
      await store.close();
      await assert.rejects(store.ping());
    });
  });
  registerConsoleStoreContract(label, (options) => target.open(options));
}
