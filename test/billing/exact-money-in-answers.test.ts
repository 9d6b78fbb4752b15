/**
 * usage.cost and usage.balance are JSON numbers written digit for digit from the ledger's
 * micro-units, in a plain answer and in a stream's usage chunk: a balance of ₩9,007,199,254.740993
 * (more micro-units than a double holds exactly) must reach the client as that text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { microsToDecimalText } from '../../src/accounting/micros-to-decimal-text.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import {
  type BillingGateway,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

const FUNDS = 9_007_199_254_740_993n;

describe('exact money in answers', () => {
  let store: Store;
  let harness: BillingGateway;
  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    harness = await startBillingGateway({ store });
  });
  after(async () => {
    await harness.close();
    await store.close();
  });

  async function post(key: string, body: unknown): Promise<{ text: string; headers: Headers }> {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    return { text: await response.text(), headers: response.headers };
  }

  for (const stream of [false, true]) {
    test(`${stream ? 'the usage chunk' : 'a plain answer'} carries the exact cost and balance`, async () => {
      const account = await openFundedAccount({
        store,
        name: `exact-${stream}`,
        balanceMicros: FUNDS,
      });
      const { text, headers } = await post(account.key, {
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'hi [simulate tokens=7]' }],
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      });
      const balance = await store.getBalance(account.accountId);
      const spent = FUNDS - balance.postedMicros;
      assert.ok(spent > 0n);
      assert.match(
        text,
        new RegExp(`"cost":${microsToDecimalText(spent).replace('.', '\\.')}[,}]`),
      );
      assert.match(
        text,
        new RegExp(
          `"balance":${microsToDecimalText(balance.availableMicros).replace('.', '\\.')}[,}]`,
        ),
      );
      if (!stream) {
        assert.equal(
          headers.get('x-shepherd-balance'),
          microsToDecimalText(balance.availableMicros),
        );
        assert.match(headers.get('content-type') ?? '', /^application\/json/);
      }
    });
  }
});
