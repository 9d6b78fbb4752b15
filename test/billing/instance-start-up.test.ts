import assert from 'node:assert/strict';
import { test } from 'node:test';
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
