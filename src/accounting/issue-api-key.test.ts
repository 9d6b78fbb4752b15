import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../storage/open-store.ts';
import { createApiKeyAuthenticator } from './api-key-authenticator.ts';
import { hashApiKey, isWellFormedApiKey } from './api-keys.ts';
import { issueApiKey } from './issue-api-key.ts';

const PEPPER = 'issue-test-pepper';

test('an issued key is stored as a digest and authenticates until revoked', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  try {
    const expiresAt = new Date('2099-01-01T00:00:00.000Z');
    const issued = await issueApiKey({
      store,
      pepper: PEPPER,
      accountName: 'team',
      keyName: 'ci',
      expiresAt,
    });
    assert.equal(isWellFormedApiKey(issued.key), true);
    assert.deepEqual(issued.expiresAt, expiresAt);
    const [stored] = await store.listApiKeys({ accountId: issued.accountId });
    assert.equal(stored?.keyHash, hashApiKey(issued.key, PEPPER));
    assert.ok(!JSON.stringify(stored).includes(issued.key));

    const authenticator = createApiKeyAuthenticator({ store, pepper: PEPPER });
    assert.equal((await authenticator.authenticate(issued.key))?.accountName, 'team');
    assert.equal(await store.revokeApiKey(issued.keyId), true);
    authenticator.invalidate();
    assert.equal(await authenticator.authenticate(issued.key), undefined);
  } finally {
    await store.close();
  }
});

test('replaceSameName revokes the live key of that name, leaving others', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  try {
    const base = { store, pepper: PEPPER, accountName: 'demo' };
    const old = await issueApiKey({ ...base, keyName: 'demo' });
    const other = await issueApiKey({ ...base, keyName: 'other' });
    const fresh = await issueApiKey({ ...base, keyName: 'demo', replaceSameName: true });
    assert.equal(fresh.accountId, old.accountId);
    const live = (await store.listApiKeys({ accountId: old.accountId }))
      .filter((key) => key.revokedAt === null)
      .map((key) => key.id);
    assert.deepEqual(live.sort(), [other.keyId, fresh.keyId].sort());
  } finally {
    await store.close();
  }
});
