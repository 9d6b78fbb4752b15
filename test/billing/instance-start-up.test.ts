import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { loadConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { freePort } from '../helpers/run-shepherd-cli.ts';
import {
  BILLING_TEST_PEPPER,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

test('a second start on a port the live instance holds fails without releasing that instance’s holds', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  const port = await freePort();
  const live = await startBillingGateway({
    store,
    configure: (config) => {
      config.server.port = port;
      config.server.instanceId = 'gw-live';
    },
  });
  try {
    const account = await openFundedAccount({ store, name: 'busy', balanceMicros: 1_000_000n });
    // A request the live instance is serving: its hold is open under the live instance's id.
    const reserved = await store.reserveCredit({
      requestId: 'req_in_flight',
      accountId: account.accountId,
      keyId: account.keyId,
      amountMicros: 400_000n,
      expiresAt: new Date(Date.now() + 3_600_000),
      owner: 'gw-live',
    });
    assert.equal(reserved.status, 'reserved');

    // The same service started again by mistake (a second `shepherd start`, a unit started twice).
    const { config } = loadConfig({ env: {}, simulatorUrl: live.simulator.url });
    config.server.port = port;
    config.server.instanceId = 'gw-live';
    await assert.rejects(
      startGateway({ config, store, keyPepper: BILLING_TEST_PEPPER, logging: false }),
      /EADDRINUSE/,
    );

    assert.equal(await store.countOpenHolds(), 1, 'the live instance’s hold is still open');
    const balance = await store.getBalance(account.accountId);
    assert.equal(balance.heldMicros, 400_000n);
    assert.equal(balance.availableMicros, 600_000n);
  } finally {
    await live.close();
    await store.close();
  }
});

test('two instances on one host and port but different addresses do not release each other’s holds', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  const port = await freePort();
  // An internal gateway on one address and a public one on another, same port, same database.
  const internal = await startBillingGateway({
    store,
    simulatorProfiles: { 'gpt-4.1': { timeToFirstTokenMs: 0, tokensPerSecond: 20 } },
    configure: (config) => {
      config.server.host = '127.0.0.1';
      config.server.port = port;
    },
  });
  try {
    const account = await openFundedAccount({ store, name: 'two', balanceMicros: 1_000_000_000n });
    const streaming = await request(`${internal.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4.1',
        stream: true,
        messages: [{ role: 'user', content: '[simulate tokens=200] a long answer' }],
      }),
    });
    assert.equal(streaming.statusCode, 200);
    assert.equal(await store.countOpenHolds(), 1, 'the stream holds its credit');

    // The public instance (re)starts while the internal one streams.
    const { config } = loadConfig({ env: {}, simulatorUrl: internal.simulator.url });
    config.server.host = '127.0.0.2';
    config.server.port = port;
    const exposed = await startGateway({
      config,
      store,
      keyPepper: BILLING_TEST_PEPPER,
      logging: false,
    });
    try {
      assert.equal(await store.countOpenHolds(), 1, 'the internal instance’s hold is still open');
    } finally {
      streaming.body.destroy();
      await exposed.close();
    }
  } finally {
    await internal.close();
    await store.close();
  }
});
