import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as z from 'zod';
import { loadConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { errorSchema } from '../helpers/admin-test-client.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'e2e-admin-token-4b7d0e2a9c6f1835';

/**
 * The admin API and voucher redemption as the gateway wires them (create-app, start-gateway): on
 * the real listener, next to /v1, and with admin changes to keys applied at once.
 */
describe('the gateway serves the admin API and voucher redemption', () => {
  let harness: TestGateway;
  let origin: string;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.admin.token = ADMIN_TOKEN;
      },
    });
    origin = harness.gateway.url;
  });
  after(async () => harness.close());

  async function call(method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  const chat = (model: string) =>
    call('POST', '/v1/chat/completions', harness.apiKey, {
      model,
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });

  test('/admin/api takes the admin token and refuses a user key', async () => {
    const listed = await call('GET', '/admin/api/accounts', ADMIN_TOKEN);
    assert.equal(listed.status, 200);
    const refused = await call('GET', '/admin/api/accounts', harness.apiKey);
    assert.equal(refused.status, 401);
    assert.equal(errorSchema.parse(refused.body).error.code, 'invalid_api_key');
  });

  test('the monthly report from the admin API equals the ledger, per account and in total', async () => {
    for (const model of ['gpt-4.1', 'claude-sonnet-4-20250514'])
      assert.equal((await chat(model)).status, 200);
    const month = new Date().toISOString().slice(0, 7);
    const reportSchema = z.looseObject({
      month: z.string(),
      matchesLedger: z.boolean(),
      total: z.looseObject({ requests: z.number(), costMicros: z.string() }),
      models: z.array(z.looseObject({ model: z.string(), requests: z.number() })),
    });
    const all = await call('GET', `/admin/api/reports/monthly?month=${month}`, ADMIN_TOKEN);
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const report = reportSchema.parse(all.body);
    assert.equal(report.month, month);
    assert.equal(report.matchesLedger, true);
    assert.ok(report.total.requests >= 2);
    const mine = reportSchema.parse(
      (
        await call(
          'GET',
          `/admin/api/reports/monthly?month=${month}&account=${harness.accountId}`,
          ADMIN_TOKEN,
        )
      ).body,
    );
    assert.equal(mine.matchesLedger, true);
    const ledger = await harness.store.sumUsageCharges({
      from: new Date(`${month}-01T00:00:00.000Z`),
      to: new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)),
      accountId: harness.accountId,
    });
    assert.equal(mine.total.costMicros, ledger.toString());
    const csv = await fetch(`${origin}/admin/api/reports/monthly?month=${month}&format=csv`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(await csv.text(), /^section,/);
    const bad = await call('GET', '/admin/api/reports/monthly?month=2026-13', ADMIN_TOKEN);
    assert.equal(bad.status, 400);
  });

  test('a user redeems a voucher the operator generated', async () => {
    const generated = await call('POST', '/admin/api/vouchers/batches', ADMIN_TOKEN, {
      name: 'e2e',
      amount: '2500',
      count: 1,
    });
    assert.equal(generated.status, 201);
    const code = z.object({ codes: z.array(z.string()) }).parse(generated.body).codes[0];
    const redeemed = await call('POST', '/v1/vouchers/redeem', harness.apiKey, { code });
    assert.equal(redeemed.status, 200);
    assert.equal(z.object({ amount: z.string() }).parse(redeemed.body).amount, '2500');
  });

  test('a policy change and a revocation apply to a key the gateway has cached', async () => {
    assert.equal((await chat('gemini-2.5-flash')).status, 200);
    const keys = await call('GET', `/admin/api/accounts/${harness.accountId}/keys`, ADMIN_TOKEN);
    const keyId = z.object({ data: z.array(z.object({ id: z.string() })) }).parse(keys.body)
      .data[0]?.id;
    const patched = await call('PATCH', `/admin/api/keys/${keyId}`, ADMIN_TOKEN, {
      allowedModels: ['gpt-4.1'],
    });
    assert.equal(patched.status, 200);
    const refused = await chat('gemini-2.5-flash');
    assert.equal(refused.status, 403);
    assert.equal(errorSchema.parse(refused.body).error.code, 'model_not_allowed');

    assert.equal((await call('DELETE', `/admin/api/keys/${keyId}`, ADMIN_TOKEN)).status, 200);
    assert.equal((await chat('gpt-4.1')).status, 401);
  });
});

test('the gateway refuses to listen beyond loopback with a weak admin token (F6)', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  try {
    for (const adminToken of [undefined, 'changeme']) {
      const { config } = loadConfig({
        env: {},
        overrides: {
          host: '0.0.0.0',
          port: 0,
          ...(adminToken === undefined ? {} : { adminToken }),
        },
      });
      const started = startGateway({
        config,
        store,
        keyPepper: 'pepper-0123456789abcdef',
        logging: false,
      });
      await assert.rejects(started, /Refusing to listen on 0\.0\.0\.0.*admin token/);
      // Should it have started anyway, stop it so the test ends.
      await started.then((gateway) => gateway.close()).catch(() => {});
    }
  } finally {
    await store.close();
  }
});
