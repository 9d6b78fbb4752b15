import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as z from 'zod';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { errorSchema, expect, keyPolicySchema, send } from '../helpers/admin-test-client.ts';
import { type AdminTestApp, startAdminTestApp } from '../helpers/start-admin-test-app.ts';
import {
  BILLING_TEST_PEPPER,
  type BillingGateway,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

/**
 * Keys made and restricted through the admin API, then used against the real gateway and its
 * simulator: the pipeline answers the clear 403s. Each key's policy is set before its first use,
 * so the gateway's short key cache never holds an older policy.
 */
describe('key policies set through the admin API are enforced by the gateway', () => {
  let store: Store;
  let gateway: BillingGateway;
  let admin: AdminTestApp;
  let accountId: string;

  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    gateway = await startBillingGateway({ store });
    admin = await startAdminTestApp({ store, pepper: BILLING_TEST_PEPPER });
    const opened = await send(admin.app, 'POST', '/admin/api/accounts', { body: { name: 'team' } });
    accountId = expect(opened, 201, z.object({ account: z.object({ id: z.string() }) })).account.id;
    const topUp = await send(admin.app, 'POST', `/admin/api/accounts/${accountId}/top-ups`, {
      body: { amount: '100000', reference: 'policy-test' },
    });
    assert.equal(topUp.status, 201);
  });
  after(async () => {
    await admin.app.close();
    await gateway.close();
    await store.close();
  });

  async function newKey(patch: Record<string, unknown>): Promise<string> {
    const created = await send(admin.app, 'POST', `/admin/api/accounts/${accountId}/keys`, {
      body: { name: 'restricted' },
    });
    const issued = expect(
      created,
      201,
      z.object({ key: z.string(), apiKey: z.object({ id: z.string() }) }),
    );
    const patched = await send(admin.app, 'PATCH', `/admin/api/keys/${issued.apiKey.id}`, {
      body: patch,
    });
    expect(patched, 200, keyPolicySchema);
    return issued.key;
  }

  async function chat(key: string, model: string) {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  test('a model outside the allow-list is 403 model_not_allowed; a listed one is served', async () => {
    const key = await newKey({ allowedModels: ['gpt-4.1'] });
    const refused = await chat(key, 'gemini-2.5-flash');
    assert.equal(refused.status, 403);
    const error = errorSchema.parse(refused.body).error;
    assert.equal(error.code, 'model_not_allowed');
    assert.match(error.message, /may not use `gemini-2\.5-flash`.*`gpt-4\.1`/);
    assert.equal((await chat(key, 'gpt-4.1')).status, 200);
  });

  test('GET /v1/models lists only the models the key may use, as OpenAI lists a key’s own', async () => {
    const key = await newKey({ allowedModels: ['gpt-4.1', 'claude-sonnet-4-5'] });
    const headers = { authorization: `Bearer ${key}` };
    const listed = await fetch(`${gateway.baseUrl}/models`, { headers });
    assert.equal(listed.status, 200);
    const list = z
      .object({ data: z.array(z.object({ id: z.string() })) })
      .parse(await listed.json());
    assert.deepEqual(list.data.map((model) => model.id).sort(), ['claude-sonnet-4-5', 'gpt-4.1']);
    const allowed = await fetch(`${gateway.baseUrl}/models/gpt-4.1-2025-04-14`, { headers });
    assert.equal(allowed.status, 200);
    const refused = await fetch(`${gateway.baseUrl}/models/gemini-2.5-flash`, { headers });
    assert.equal(refused.status, 403);
    const error = errorSchema.parse(await refused.json()).error;
    assert.equal(error.code, 'model_not_allowed');
    assert.match(error.message, /may not use `gemini-2\.5-flash`/);
  });

  test('a tiny monthly cap makes the next request 403 key_spend_cap_exceeded', async () => {
    const before = await store.getBalance(accountId);
    const key = await newKey({ monthlySpendCap: '0.000001' });
    const refused = await chat(key, 'gpt-4.1');
    assert.equal(refused.status, 403);
    const error = errorSchema.parse(refused.body).error;
    assert.equal(error.code, 'key_spend_cap_exceeded');
    assert.match(error.message, /monthly spend cap/);
    assert.deepEqual(await store.getBalance(accountId), before, 'a refused request costs nothing');
  });

  test('an expiry set in the past is 403 api_key_expired', async () => {
    const key = await newKey({ expiresAt: '2020-01-01T00:00:00Z' });
    const refused = await chat(key, 'gpt-4.1');
    assert.equal(refused.status, 403);
    assert.equal(errorSchema.parse(refused.body).error.code, 'api_key_expired');
  });
});
