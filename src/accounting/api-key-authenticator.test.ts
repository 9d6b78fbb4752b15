import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../errors/gateway-error.ts';
import type { ApiKeyWithAccount } from '../storage/store.ts';
import { createApiKeyAuthenticator } from './api-key-authenticator.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';

const PEPPER = 'test-pepper';
const START = new Date('2030-01-01T00:00:00.000Z');

function createClock() {
  let current = START.getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds: number) => {
      current += milliseconds;
    },
  };
}

/** A fake store that counts lookups; tests edit its records to revoke, disable or expire keys. */
function createCountingStore() {
  const records = new Map<string, ApiKeyWithAccount>();
  let failing = false;
  let gate: Promise<void> | undefined;
  const fake = {
    lookups: 0,
    records,
    fail(value: boolean) {
      failing = value;
    },
    hold(until: Promise<void> | undefined) {
      gate = until;
    },
    async findApiKeyByHash(keyHash: string) {
      fake.lookups += 1;
      if (gate !== undefined) await gate;
      if (failing) throw new Error('connection refused');
      return records.get(keyHash);
    },
    async getApiKeyPolicy(_keyId: string) {
      return { monthlySpendCapMicros: 5_000_000n, allowedModels: ['gpt-4.1'], expiresAt: null };
    },
    add(overrides: Partial<ApiKeyWithAccount> = {}) {
      const generated = generateApiKey();
      const keyHash = hashApiKey(generated.key, PEPPER);
      const record: ApiKeyWithAccount = {
        id: `key_${records.size}`,
        accountId: 'acct_1',
        name: 'laptop',
        prefix: generated.prefix,
        lastFour: generated.lastFour,
        keyHash,
        createdAt: START,
        revokedAt: null,
        expiresAt: null,
        lastUsedAt: null,
        account: { id: 'acct_1', name: 'team', createdAt: START, disabledAt: null },
        ...overrides,
      };
      records.set(keyHash, record);
      return { key: generated.key, record };
    },
  };
  return fake;
}

function setup(options: { negativeCacheTtlMs?: number; maxCacheEntries?: number } = {}) {
  const clock = createClock();
  const store = createCountingStore();
  const authenticator = createApiKeyAuthenticator({
    store,
    pepper: PEPPER,
    now: clock.now,
    ...options,
  });
  return { clock, store, authenticator };
}

test('missing, malformed and foreign keys are refused without a store lookup', async () => {
  const { store, authenticator } = setup();
  const { key } = store.add();
  const foreign = `sk-proj-${key.slice('sk-shep-'.length)}`;
  // A different last character (never the one the random key already has) breaks the checksum.
  const corrupted = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
  for (const token of [undefined, '', 'Bearer', foreign, corrupted, "' OR 1=1--"]) {
    assert.equal(await authenticator.authenticate(token), undefined);
  }
  assert.equal(store.lookups, 0);
});

test('a good key resolves to its owner, once per TTL, without exposing the secret', async () => {
  const { clock, store, authenticator } = setup();
  const { key, record } = store.add({ expiresAt: new Date('2031-01-01T00:00:00.000Z') });
  const expected = {
    keyId: record.id,
    accountId: 'acct_1',
    accountName: 'team',
    name: 'laptop',
    prefix: record.prefix,
    lastFour: record.lastFour,
    expiresAt: new Date('2031-01-01T00:00:00.000Z'),
    allowedModels: ['gpt-4.1'],
    monthlySpendCapMicros: 5_000_000n,
  };
  const authenticated = await authenticator.authenticate(key);
  assert.deepEqual({ ...authenticated }, expected);
  const serialised = JSON.stringify(authenticated, (_name, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  assert.ok(!serialised.includes(key) && !serialised.includes(record.keyHash));
  clock.advance(4_999);
  assert.deepEqual({ ...(await authenticator.authenticate(key)) }, expected);
  assert.equal(store.lookups, 1);
  clock.advance(1);
  await authenticator.authenticate(key);
  assert.equal(store.lookups, 2);
});

test('concurrent requests for one uncached key share a single lookup', async () => {
  const { store, authenticator } = setup();
  const { key } = store.add();
  const results = await Promise.all(
    Array.from({ length: 20 }, () => authenticator.authenticate(key)),
  );
  assert.ok(results.every((result) => result?.keyId === 'key_0'));
  assert.equal(store.lookups, 1);
});

test('revocation takes effect after invalidate() or the TTL', async () => {
  const { clock, store, authenticator } = setup();
  const first = store.add();
  const second = store.add();
  await authenticator.authenticate(first.key);
  await authenticator.authenticate(second.key);
  first.record.revokedAt = clock.now();
  second.record.revokedAt = clock.now();
  assert.notEqual(await authenticator.authenticate(first.key), undefined);
  authenticator.invalidate();
  assert.equal(await authenticator.authenticate(first.key), undefined);
  clock.advance(5_000);
  assert.equal(await authenticator.authenticate(second.key), undefined);
});

test('revoked keys and keys of disabled accounts are refused', async () => {
  const { store, authenticator } = setup();
  const revoked = store.add({ revokedAt: START });
  const disabled = store.add();
  disabled.record.account = { ...disabled.record.account, disabledAt: START };
  assert.equal(await authenticator.authenticate(revoked.key), undefined);
  assert.equal(await authenticator.authenticate(disabled.key), undefined);
});

test('an expiring key stops at its deadline even while cached', async () => {
  const { clock, store, authenticator } = setup();
  const { key } = store.add({ expiresAt: new Date(START.getTime() + 3_000) });
  assert.notEqual(await authenticator.authenticate(key), undefined);
  clock.advance(2_999);
  assert.notEqual(await authenticator.authenticate(key), undefined);
  clock.advance(1);
  await assert.rejects(authenticator.authenticate(key), {
    code: 'GW_ERR_API_KEY_EXPIRED',
    status: 403,
  });
  assert.equal(store.lookups, 1);
});

test('authenticateNow answers from the cache alone, and defers to authenticate otherwise', async () => {
  const { clock, store, authenticator } = setup();
  const { key, record } = store.add({ expiresAt: new Date(START.getTime() + 7_000) });
  const unknown = generateApiKey().key;
  // Malformed keys need no store: refused at once.
  assert.deepEqual(authenticator.authenticateNow(undefined), { key: undefined });
  assert.deepEqual(authenticator.authenticateNow('sk-proj-abc'), { key: undefined });
  // Keys not looked up yet (good or unknown) can only be told by the store.
  assert.equal(authenticator.authenticateNow(key), undefined);
  assert.equal(authenticator.authenticateNow(unknown), undefined);
  assert.equal(store.lookups, 0);

  await authenticator.authenticate(key);
  await authenticator.authenticate(unknown);
  assert.equal(authenticator.authenticateNow(key)?.key?.keyId, record.id);
  assert.deepEqual(authenticator.authenticateNow(unknown), { key: undefined });
  assert.equal(store.lookups, 2);

  // The unknown key's answer lapses after 1 s, the good key's after 5 s: then the store decides.
  clock.advance(1_000);
  assert.equal(authenticator.authenticateNow(unknown), undefined);
  assert.equal(authenticator.authenticateNow(key)?.key?.keyId, record.id);
  clock.advance(4_000);
  assert.equal(authenticator.authenticateNow(key), undefined);
  await authenticator.authenticate(key);

  // Expiry is checked on every call, also while the answer is cached (here until 10 s).
  clock.advance(2_000);
  assert.throws(() => authenticator.authenticateNow(key), { code: 'GW_ERR_API_KEY_EXPIRED' });
  authenticator.invalidate();
  assert.equal(authenticator.authenticateNow(key), undefined);
});

test('unknown keys are remembered only briefly, or not at all', async () => {
  const unknown = generateApiKey().key;
  const brief = setup();
  assert.equal(await brief.authenticator.authenticate(unknown), undefined);
  assert.equal(await brief.authenticator.authenticate(unknown), undefined);
  assert.equal(brief.store.lookups, 1);
  brief.clock.advance(1_000);
  await brief.authenticator.authenticate(unknown);
  assert.equal(brief.store.lookups, 2);

  const none = setup({ negativeCacheTtlMs: 0 });
  await none.authenticator.authenticate(unknown);
  await none.authenticator.authenticate(unknown);
  assert.equal(none.store.lookups, 2);
});

test('the cache is bounded: the least recently used key is evicted', async () => {
  const { store, authenticator } = setup({ maxCacheEntries: 2 });
  const [a, b, c] = [store.add(), store.add(), store.add()];
  await authenticator.authenticate(a.key);
  await authenticator.authenticate(b.key);
  await authenticator.authenticate(a.key);
  await authenticator.authenticate(c.key);
  assert.equal(store.lookups, 3);
  await authenticator.authenticate(a.key);
  assert.equal(store.lookups, 3);
  await authenticator.authenticate(b.key);
  assert.equal(store.lookups, 4);
});

test('a store failure is a storage error and is not cached', async () => {
  const { store, authenticator } = setup();
  const { key } = store.add();
  store.fail(true);
  await assert.rejects(
    authenticator.authenticate(key),
    (error) => isGatewayError(error) && error.code === 'GW_ERR_STORAGE_UNAVAILABLE',
  );
  store.fail(false);
  assert.notEqual(await authenticator.authenticate(key), undefined);
  assert.equal(store.lookups, 2);
});

test('a lookup in flight during invalidate() does not refill the cache', async () => {
  const { store, authenticator } = setup();
  const { key, record } = store.add();
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  store.hold(gate);
  const pending = authenticator.authenticate(key);
  authenticator.invalidate();
  store.hold(undefined);
  release();
  assert.notEqual(await pending, undefined);
  record.revokedAt = START;
  assert.equal(await authenticator.authenticate(key), undefined);
  assert.equal(store.lookups, 2);
});

test('a record whose digest differs from the presented key is refused', async () => {
  const { store, authenticator } = setup();
  const { key, record } = store.add();
  store.records.set(record.keyHash, { ...record, keyHash: 'f'.repeat(64) });
  assert.equal(await authenticator.authenticate(key), undefined);
});

test('an empty pepper is refused at construction', () => {
  assert.throws(
    () => createApiKeyAuthenticator({ store: createCountingStore(), pepper: '' }),
    /pepper/,
  );
});

test('a key read from the store is reported used, at most once per cache TTL', async () => {
  const clock = createClock();
  const store = createCountingStore();
  const used: Array<{ keyId: string; at: number }> = [];
  const authenticator = createApiKeyAuthenticator({
    store,
    pepper: PEPPER,
    now: clock.now,
    cacheTtlMs: 5_000,
    onKeyUsed: (keyId, at) => used.push({ keyId, at: at.getTime() }),
  });
  const { key, record } = store.add();
  const revoked = store.add({ revokedAt: START });
  const start = clock.now().getTime();
  for (let request = 0; request < 10; request += 1) await authenticator.authenticate(key);
  assert.deepEqual(used, [{ keyId: record.id, at: start }]);
  clock.advance(5_001);
  await authenticator.authenticate(key);
  assert.deepEqual(used, [
    { keyId: record.id, at: start },
    { keyId: record.id, at: start + 5_001 },
  ]);
  // Refused keys are not "used".
  await authenticator.authenticate(revoked.key);
  assert.equal(used.length, 2);
});
