/**
 * The database failing under a request (PostgreSQL restarted, a connection killed, a SQLite disk
 * full): the client gets a clear 503 rather than an internal error, and a settle that meets a short
 * outage is retried (it is idempotent on `usage:<request id>`), so the charge is not lost with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { readChatStream } from '../helpers/read-chat-stream.ts';
import {
  type BillingGateway,
  type FundedAccount,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

/** What node-postgres throws when the server goes away under a query. */
const connectionLost = () => new Error('Connection terminated unexpectedly');

describe('storage faults under a request', () => {
  let store: Store;
  let gateway: BillingGateway;
  let account: FundedAccount;
  /** How many of the next reserves, and of the next settles, fail as if the database were gone. */
  const failing = { keyLookups: 0, reserves: 0, settles: 0 };

  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    const flaky: Store = {
      ...store,
      async findApiKeyByHash(keyHash) {
        if (failing.keyLookups > 0) {
          failing.keyLookups -= 1;
          throw connectionLost();
        }
        return store.findApiKeyByHash(keyHash);
      },
      async reserveCredit(input) {
        if (failing.reserves > 0) {
          failing.reserves -= 1;
          throw connectionLost();
        }
        return store.reserveCredit(input);
      },
      async settleUsage(input) {
        if (failing.settles > 0) {
          failing.settles -= 1;
          throw connectionLost();
        }
        return store.settleUsage(input);
      },
    };
    gateway = await startBillingGateway({ store: flaky });
    account = await openFundedAccount({ store, name: 'flaky', balanceMicros: 1_000_000_000n });
  });

  after(async () => {
    await gateway.close();
    await store.close();
  });

  const chat = (body: object) =>
    request(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4.1',
        max_tokens: 50,
        messages: [{ role: 'user', content: '[simulate tokens=5] storage fault' }],
        ...body,
      }),
    });

  test('a reserve the database cannot make is a 503 service_unavailable, with nothing held', async () => {
    failing.reserves = 1;
    const response = await chat({});
    const body = (await response.body.json()) as { error: { code: string; type: string } };
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '1');
    assert.equal(body.error.code, 'service_unavailable');
    assert.equal(body.error.type, 'server_error');
    assert.equal(await store.countOpenHolds(), 0);
  });

  test('a key the database cannot look up is a 503 service_unavailable with Retry-After', async () => {
    // A key this gateway has not seen yet: nothing cached, so it must be looked up.
    const unseen = await openFundedAccount({ store, name: 'unseen', balanceMicros: 1_000_000n });
    failing.keyLookups = 1;
    const response = await request(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${unseen.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.body.json()) as { error: { code: string } };
    assert.equal(response.statusCode, 503);
    assert.equal(body.error.code, 'service_unavailable');
    assert.equal(response.headers['retry-after'], '1');
  });

  test('a settle that meets a short outage is retried: the answer is served and charged once', async () => {
    failing.settles = 2;
    const response = await chat({});
    const text = await response.body.text();
    assert.equal(response.statusCode, 200, text);
    const requestId = String(response.headers['x-request-id']);
    const charged = response.headers['x-shepherd-cost'];
    assert.ok(typeof charged === 'string' && charged !== '0', `charged ${String(charged)}`);
    const rows = await store.listUsageRecords({
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 60_000),
      accountId: account.accountId,
      limit: 100,
    });
    assert.equal(rows.filter((row) => row.requestId === requestId).length, 1);
    assert.equal(await store.countOpenHolds(), 0);
    assert.deepEqual(await store.checkLedger(new Date()), []);
  });

  test('a stream whose settle meets a short outage still ends with its charge and [DONE]', async () => {
    failing.settles = 2;
    const response = await chat({ stream: true, stream_options: { include_usage: true } });
    assert.equal(response.statusCode, 200);
    const read = await readChatStream(response.body);
    assert.equal(read.error, undefined);
    assert.equal(read.done, true);
    assert.ok((read.usage?.cost ?? 0) > 0);
    assert.equal(await store.countOpenHolds(), 0);
  });

  test('a settle the database keeps refusing ends the answer with 503 service_unavailable', async () => {
    failing.settles = 1_000;
    try {
      const response = await chat({});
      const body = (await response.body.json()) as { error: { code: string } };
      assert.equal(response.statusCode, 503);
      assert.equal(body.error.code, 'service_unavailable');
    } finally {
      failing.settles = 0;
    }
  });
});
