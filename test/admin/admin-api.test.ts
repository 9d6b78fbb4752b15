import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as z from 'zod';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import {
  accountSchema,
  apiKeySchema,
  batchSchema,
  creditSchema,
  errorSchema,
  expect,
  keyPolicySchema,
  ledgerSchema,
  redemptionSchema,
  send,
  voucherSchema,
} from '../helpers/admin-test-client.ts';
import {
  ADMIN_TEST_PEPPER,
  ADMIN_TEST_TOKEN,
  type AdminTestApp,
  startAdminTestApp,
} from '../helpers/start-admin-test-app.ts';

const A = '/admin/api';
const accountResponse = z.strictObject({ created: z.boolean(), account: accountSchema });

describe('admin API', () => {
  let store: Store;
  let harness: AdminTestApp;
  let userKey: string;
  let userAccountId: string;

  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    harness = await startAdminTestApp({ store });
    const issued = await issueApiKey({
      store,
      pepper: ADMIN_TEST_PEPPER,
      accountName: 'user',
      keyName: 'laptop',
    });
    userKey = issued.key;
    userAccountId = issued.accountId;
  });
  after(async () => {
    await harness.app.close();
    await store.close();
  });

  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    send(harness.app, method, `${A}${url}`, body === undefined ? {} : { body });

  async function createAccount(name: string): Promise<string> {
    return expect(await admin('POST', '/accounts', { name }), 201, accountResponse).account.id;
  }

  async function availableMicros(accountId: string): Promise<bigint> {
    return (await store.getBalance(accountId)).availableMicros;
  }

  test('the plugin registers every documented route (the F5 test below walks this list)', () => {
    const listed = new Set(harness.routes.map((route) => `${route.method} ${route.url}`));
    for (const route of [
      'GET /accounts',
      'POST /accounts',
      'GET /accounts/:id',
      'POST /accounts/:id/disable',
      'POST /accounts/:id/enable',
      'POST /accounts/:id/top-ups',
      'POST /accounts/:id/adjustments',
      'POST /accounts/:id/refunds',
      'GET /accounts/:id/ledger',
      'POST /accounts/:id/keys',
      'GET /accounts/:id/keys',
      'PATCH /keys/:id',
      'DELETE /keys/:id',
      'POST /vouchers/batches',
      'GET /vouchers/batches',
      'GET /vouchers/batches/:id',
      'GET /ledger/check',
    ]) {
      const [method, path] = route.split(' ');
      assert.ok(listed.has(`${method} ${A}${path}`), `${route} is not registered`);
    }
  });

  test('every admin route refuses no token, a wrong token and a user API key with 401 (F5)', async () => {
    const accountsBefore = (await store.listAccounts()).length;
    const batchesBefore = (await store.listVoucherBatches()).length;
    const balanceBefore = await store.getBalance(userAccountId);
    const wrongSameLength = ADMIN_TEST_TOKEN.replace(/.$/, (last) => (last === 'x' ? 'y' : 'x'));
    const credentials: Array<[string, Record<string, string>]> = [
      ['no credential', {}],
      ['a wrong token of the same length', { authorization: `Bearer ${wrongSameLength}` }],
      ['the token with a suffix', { authorization: `Bearer ${ADMIN_TEST_TOKEN}x` }],
      ['a prefix of the token', { authorization: `Bearer ${ADMIN_TEST_TOKEN.slice(0, 8)}` }],
      ['the token in upper case', { authorization: `Bearer ${ADMIN_TEST_TOKEN.toUpperCase()}` }],
      ['the token as Basic', { authorization: `Basic ${ADMIN_TEST_TOKEN}` }],
      ['the token in x-api-key', { 'x-api-key': ADMIN_TEST_TOKEN }],
      ['a user API key', { authorization: `Bearer ${userKey}` }],
      ['a user API key in x-api-key', { 'x-api-key': userKey }],
      ['SQL in the bearer', { authorization: "Bearer ' OR '1'='1" }],
    ];
    // A body every mutating route would accept, so a route that skipped the check would act.
    const body = { name: 'intruder', amount: '1000', reference: 'f5', reason: 'f5', count: 1 };
    assert.ok(harness.routes.length >= 17);
    for (const route of harness.routes) {
      const url = route.url.replaceAll(':id', userAccountId);
      for (const [label, headers] of credentials) {
        const response = await send(
          harness.app,
          route.method as 'GET',
          url,
          route.method === 'GET' || route.method === 'HEAD'
            ? { auth: null, headers }
            : { auth: null, headers, body },
        );
        assert.equal(response.status, 401, `${route.method} ${route.url} with ${label}`);
        if (route.method !== 'HEAD') {
          const error = expect(response, 401, errorSchema).error;
          assert.equal(error.code, 'invalid_api_key');
          assert.match(error.message, /admin token/);
          assert.ok(!response.text.includes(ADMIN_TEST_TOKEN));
        }
      }
    }
    assert.equal((await store.listAccounts()).length, accountsBefore);
    assert.equal((await store.listVoucherBatches()).length, batchesBefore);
    assert.deepEqual(await store.getBalance(userAccountId), balanceBefore);
  });

  test('unknown admin paths are 401 without the token and 404 with it (deny by default)', async () => {
    const anonymous = await send(harness.app, 'GET', `${A}/secrets`, { auth: null });
    assert.equal(expect(anonymous, 401, errorSchema).error.code, 'invalid_api_key');
    const known = await admin('GET', '/secrets');
    assert.equal(expect(known, 404, errorSchema).error.code, 'not_found');
    const wrongMethod = await admin('PUT' as 'POST', '/accounts');
    assert.equal(wrongMethod.status, 404);
  });

  test('accounts: open with the signup bonus once, list, show, disable, enable', async () => {
    const created = expect(
      await admin('POST', '/accounts', { name: 'acme' }),
      201,
      accountResponse,
    );
    assert.equal(created.created, true);
    assert.equal(created.account.name, 'acme');
    assert.equal(created.account.status, 'active');
    assert.deepEqual(created.account.balance, {
      currency: 'KRW',
      posted: '1000',
      postedMicros: '1000000000',
      held: '0',
      heldMicros: '0',
      available: '1000',
      availableMicros: '1000000000',
    });
    const again = expect(await admin('POST', '/accounts', { name: 'acme' }), 200, accountResponse);
    assert.equal(again.created, false);
    assert.equal(again.account.id, created.account.id);
    assert.equal(again.account.balance.available, '1000');

    const listed = expect(
      await admin('GET', '/accounts'),
      200,
      z.strictObject({ data: z.array(accountSchema) }),
    );
    assert.ok(listed.data.some((account) => account.id === created.account.id));

    const id = created.account.id;
    assert.equal(expect(await admin('GET', `/accounts/${id}`), 200, accountSchema).name, 'acme');
    const missing = await admin('GET', '/accounts/acct_000000000000000000000000');
    assert.match(expect(missing, 404, errorSchema).error.message, /No account/);

    const invalidations = harness.keyInvalidations();
    const disabled = expect(
      await admin('POST', `/accounts/${id}/disable`, { actor: 'ops-kim' }),
      200,
      accountSchema,
    );
    assert.equal(disabled.status, 'disabled');
    assert.ok(disabled.disabledAt);
    assert.equal(harness.keyInvalidations(), invalidations + 1);
    const enabled = expect(await admin('POST', `/accounts/${id}/enable`), 200, accountSchema);
    assert.equal(enabled.status, 'active');
    assert.equal(enabled.disabledAt, null);

    for (const body of [{}, { name: '' }, { name: 'x', extra: true }, { name: 7 }]) {
      expect(await admin('POST', '/accounts', body), 400, errorSchema);
    }
    expect(
      await admin('POST', `/accounts/${id}/disable`, { actor: 'x', role: 'root' }),
      400,
      errorSchema,
    );
  });

  test('top-ups credit once per reference; another amount on the same reference is 409 (D7, D8)', async () => {
    const id = await createAccount('top-up-co');
    const start = await availableMicros(id);
    const first = expect(
      await admin('POST', `/accounts/${id}/top-ups`, { amount: '5000', reference: 'bank-001' }),
      201,
      creditSchema,
    );
    assert.equal(first.duplicate, false);
    assert.equal(first.amount, '5000');
    assert.equal(first.amountMicros, '5000000000');
    assert.equal(BigInt(first.balance.availableMicros), start + 5_000_000_000n);

    const replay = expect(
      await admin('POST', `/accounts/${id}/top-ups`, { amount: '5000', reference: 'bank-001' }),
      200,
      creditSchema,
    );
    assert.equal(replay.duplicate, true);
    assert.equal(replay.transactionId, first.transactionId);
    assert.equal(await availableMicros(id), start + 5_000_000_000n);

    const conflict = await admin('POST', `/accounts/${id}/top-ups`, {
      amount: '5001',
      reference: 'bank-001',
    });
    const error = expect(conflict, 409, errorSchema).error;
    assert.equal(error.param, 'reference');
    assert.match(error.message, /already used/);
    const otherAccount = await createAccount('someone-else');
    expect(
      await admin('POST', `/accounts/${otherAccount}/top-ups`, {
        amount: '5000',
        reference: 'bank-001',
      }),
      409,
      errorSchema,
    );
    assert.equal(await availableMicros(id), start + 5_000_000_000n);

    const burst = await Promise.all(
      Array.from({ length: 5 }, () =>
        admin('POST', `/accounts/${id}/top-ups`, { amount: '12.5', reference: 'bank-002' }),
      ),
    );
    assert.deepEqual(burst.map((response) => response.status).sort(), [200, 200, 200, 200, 201]);
    assert.equal(await availableMicros(id), start + 5_000_000_000n + 12_500_000n);

    const ledger = expect(await admin('GET', `/accounts/${id}/ledger`), 200, ledgerSchema);
    assert.equal(ledger.entries.filter((entry) => entry.kind === 'top_up').length, 2);
    assert.equal(ledger.entries[0]?.actor, 'admin-api');
  });

  test('amounts are positive decimal text in bounds; bodies are strict (D17)', async () => {
    const id = await createAccount('bounds-co');
    const start = await availableMicros(id);
    for (const amount of [1000, '0', '-5', '1.0000001', '1e3', '1,000', '10000000000', '', null]) {
      const response = await admin('POST', `/accounts/${id}/top-ups`, {
        amount,
        reference: `r-${String(amount)}`,
      });
      assert.equal(expect(response, 400, errorSchema).error.param, 'amount', String(amount));
    }
    expect(await admin('POST', `/accounts/${id}/top-ups`, { amount: '1' }), 400, errorSchema);
    expect(
      await admin('POST', `/accounts/${id}/top-ups`, { amount: '1', reference: 'has space' }),
      400,
      errorSchema,
    );
    expect(
      await admin('POST', `/accounts/${id}/top-ups`, { amount: '1', reference: 'r', balance: '9' }),
      400,
      errorSchema,
    );
    const notJson = await send(harness.app, 'POST', `${A}/accounts/${id}/top-ups`, {
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(notJson.status, 400);
    expect(
      await admin('POST', '/accounts/acct_000000000000000000000000/top-ups', {
        amount: '1',
        reference: 'nobody',
      }),
      404,
      errorSchema,
    );
    assert.equal(await availableMicros(id), start);
  });

  test('adjustments carry actor and reason to the ledger; a reference makes them idempotent (D10)', async () => {
    const id = await createAccount('adjust-co');
    const start = await availableMicros(id);
    const credit = expect(
      await admin('POST', `/accounts/${id}/adjustments`, {
        amount: '250.5',
        reason: 'goodwill for outage #42',
        actor: 'ops-lee',
      }),
      201,
      creditSchema,
    );
    assert.equal(credit.kind, 'adjustment');
    const debit = expect(
      await admin('POST', `/accounts/${id}/adjustments`, {
        amount: '-100',
        reason: 'duplicate credit reversed',
      }),
      201,
      creditSchema,
    );
    assert.equal(debit.amount, '-100');
    assert.equal(await availableMicros(id), start + 150_500_000n);

    const ledger = expect(await admin('GET', `/accounts/${id}/ledger?limit=2`), 200, ledgerSchema);
    assert.equal(ledger.entries.length, 2);
    assert.deepEqual(
      ledger.entries.map((entry) => [entry.amount, entry.actor, entry.reason]),
      [
        ['-100', 'admin-api', 'duplicate credit reversed'],
        ['250.5', 'ops-lee', 'goodwill for outage #42'],
      ],
    );

    const body = { amount: '10', reason: 'ticket 7', actor: 'ops-lee', reference: 'ticket-7' };
    expect(await admin('POST', `/accounts/${id}/adjustments`, body), 201, creditSchema);
    assert.equal(
      expect(await admin('POST', `/accounts/${id}/adjustments`, body), 200, creditSchema).duplicate,
      true,
    );
    assert.equal(await availableMicros(id), start + 160_500_000n);

    const overdraw = await admin('POST', `/accounts/${id}/adjustments`, {
      amount: '-99999',
      reason: 'too much',
    });
    assert.equal(expect(overdraw, 402, errorSchema).error.code, 'insufficient_balance');
    expect(await admin('POST', `/accounts/${id}/adjustments`, { amount: '5' }), 400, errorSchema);
    expect(
      await admin('POST', `/accounts/${id}/adjustments`, { amount: '0', reason: 'zero' }),
      400,
      errorSchema,
    );
    assert.equal(await availableMicros(id), start + 160_500_000n);
  });

  test('refunds need a reference and a reason and post once', async () => {
    const id = await createAccount('refund-co');
    const start = await availableMicros(id);
    const body = { amount: '3.25', reference: 'refund-9', reason: 'failed request billed' };
    const refund = expect(await admin('POST', `/accounts/${id}/refunds`, body), 201, creditSchema);
    assert.equal(refund.kind, 'refund');
    expect(await admin('POST', `/accounts/${id}/refunds`, body), 200, creditSchema);
    expect(
      await admin('POST', `/accounts/${id}/refunds`, { amount: '3.25', reference: 'refund-10' }),
      400,
      errorSchema,
    );
    assert.equal(await availableMicros(id), start + 3_250_000n);
    const ledger = expect(await admin('GET', `/accounts/${id}/ledger`), 200, ledgerSchema);
    assert.equal(ledger.entries[0]?.kind, 'refund');
    assert.equal(ledger.entries[0]?.reason, 'failed request billed');
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'other=1']) {
      expect(await admin('GET', `/accounts/${id}/ledger?${query}`), 400, errorSchema);
    }
  });

  test('keys: issue once with a policy, list without the secret, patch the policy, revoke', async () => {
    const id = await createAccount('key-co');
    const created = await admin('POST', `/accounts/${id}/keys`, {
      name: 'ci',
      monthlySpendCap: '5000',
      allowedModels: ['GPT-4.1', 'gpt-4.1'],
      expiresAt: '2099-01-01T00:00:00Z',
    });
    const issued = expect(
      created,
      201,
      z.strictObject({
        key: z.string().regex(/^sk-shep-/),
        notice: z.string(),
        apiKey: apiKeySchema,
      }),
    );
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.equal(issued.apiKey.monthlySpendCap, '5000');
    assert.deepEqual(issued.apiKey.allowedModels, ['gpt-4.1']);
    assert.equal(issued.apiKey.expiresAt, '2099-01-01T00:00:00.000Z');
    const keyId = issued.apiKey.id;

    const listedResponse = await admin('GET', `/accounts/${id}/keys`);
    assert.ok(!listedResponse.text.includes(issued.key), 'a listing never holds the key');
    const listed = expect(listedResponse, 200, z.strictObject({ data: z.array(apiKeySchema) }));
    assert.deepEqual(
      listed.data.map((key) => [key.id, key.status, key.monthlySpendCapMicros]),
      [[keyId, 'active', '5000000000']],
    );
    assert.equal(listed.data[0]?.key, `${issued.key.slice(0, 12)}…${issued.key.slice(-4)}`);

    const invalidations = harness.keyInvalidations();
    const patched = expect(
      await admin('PATCH', `/keys/${keyId}`, { monthlySpendCap: null, allowedModels: null }),
      200,
      keyPolicySchema,
    );
    assert.deepEqual(patched, {
      id: keyId,
      monthlySpendCap: null,
      monthlySpendCapMicros: null,
      allowedModels: null,
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    assert.equal(harness.keyInvalidations(), invalidations + 1);
    const capped = expect(
      await admin('PATCH', `/keys/${keyId}`, { monthlySpendCap: '0.5', expiresAt: null }),
      200,
      keyPolicySchema,
    );
    assert.equal(capped.monthlySpendCapMicros, '500000');
    assert.equal(capped.expiresAt, null);
    assert.deepEqual(await store.getApiKeyPolicy(keyId), {
      monthlySpendCapMicros: 500_000n,
      allowedModels: null,
      expiresAt: null,
    });

    expect(await admin('PATCH', `/keys/${keyId}`, {}), 400, errorSchema);
    const unknownModel = await admin('PATCH', `/keys/${keyId}`, { allowedModels: ['gpt-5'] });
    assert.match(expect(unknownModel, 400, errorSchema).error.message, /unknown model "gpt-5"/);
    expect(await admin('PATCH', `/keys/${keyId}`, { monthlySpendCap: 5 }), 400, errorSchema);
    expect(
      await admin('PATCH', '/keys/key_000000000000000000000000', { monthlySpendCap: '1' }),
      404,
      errorSchema,
    );
    expect(
      await admin('POST', `/accounts/${id}/keys`, { name: 'x', allowedModels: ['nope'] }),
      400,
      errorSchema,
    );
    for (const expiresAt of ['2020-01-01T00:00:00Z', '2099-02-30T00:00:00Z']) {
      expect(
        await admin('POST', `/accounts/${id}/keys`, { name: 'x', expiresAt }),
        400,
        errorSchema,
      );
    }
    assert.equal(
      (await store.listApiKeys({ accountId: id })).length,
      1,
      'a refused key is not made',
    );

    assert.deepEqual(
      expect(
        await admin('DELETE', `/keys/${keyId}`),
        200,
        z.strictObject({ id: z.string(), revoked: z.literal(true) }),
      ),
      { id: keyId, revoked: true },
    );
    expect(await admin('DELETE', `/keys/${keyId}`), 404, errorSchema);
    const revokedPatch = expect(
      await admin('PATCH', `/keys/${keyId}`, { monthlySpendCap: '100' }),
      409,
      errorSchema,
    );
    assert.equal(revokedPatch.error.code, 'api_key_revoked');
    const after = expect(
      await admin('GET', `/accounts/${id}/keys`),
      200,
      z.object({ data: z.array(apiKeySchema) }),
    );
    assert.equal(after.data[0]?.status, 'revoked');
    assert.equal(after.data[0]?.monthlySpendCap, '0.5', 'the revoked key kept its last policy');
  });

  test('voucher batches: codes once (JSON or CSV), then last four and redemption state', async () => {
    const created = await admin('POST', '/vouchers/batches', {
      name: 'march bank sale',
      amount: '10000',
      count: 3,
      actor: 'ops-park',
    });
    assert.equal(created.headers['cache-control'], 'no-store');
    const { batch, codes } = expect(
      created,
      201,
      z.strictObject({ batch: batchSchema, codes: z.array(z.string()), notice: z.string() }),
    );
    assert.equal(batch.count, 3);
    assert.equal(batch.amount, '10000');
    assert.equal(batch.createdBy, 'ops-park');
    assert.equal(new Set(codes).size, 3);
    for (const code of codes) assert.match(code, /^SHEP(-[2-9A-HJ-NP-Z]{4}){4}$/);

    const csv = await send(harness.app, 'POST', `${A}/vouchers/batches?format=csv`, {
      body: { name: 'csv batch', amount: '500', count: 4 },
    });
    assert.equal(csv.status, 201);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'code,amount,currency,batch_id,batch_name,expires_at');
    assert.equal(lines.length, 5);
    assert.match(lines[1] ?? '', /^SHEP(-[2-9A-HJ-NP-Z]{4}){4},500,KRW,vbat_\w+,csv batch,$/);

    const listed = expect(
      await admin('GET', '/vouchers/batches'),
      200,
      z.strictObject({ data: z.array(batchSchema) }),
    );
    assert.deepEqual(
      listed.data.map((entry) => [entry.name, entry.count, entry.redeemedCount]),
      [
        ['march bank sale', 3, 0],
        ['csv batch', 4, 0],
      ],
    );

    const shownResponse = await admin('GET', `/vouchers/batches/${batch.id}`);
    for (const code of codes)
      assert.ok(!shownResponse.text.includes(code), 'codes are never shown again');
    const shown = expect(
      shownResponse,
      200,
      z.strictObject({ batch: batchSchema, vouchers: z.array(voucherSchema) }),
    );
    assert.deepEqual(
      shown.vouchers.map((voucher) => voucher.lastFour).sort(),
      codes.map((code) => code.slice(-4)).sort(),
    );
    assert.ok(shown.vouchers.every((voucher) => voucher.state === 'available'));
    expect(await admin('GET', '/vouchers/batches/vbat_nope'), 404, errorSchema);

    for (const body of [
      { name: 'n', amount: '1', count: 0 },
      { name: 'n', amount: '1', count: 10_001 },
      { name: 'n', amount: '1', count: 1.5 },
      { name: 'n', amount: 1, count: 1 },
      { name: 'n', amount: '0', count: 1 },
      { name: '', amount: '1', count: 1 },
      { name: 'n', amount: '1', count: 1, expiresAt: '2000-01-01T00:00:00Z' },
      { name: 'n', amount: '1', count: 1, expiresAt: 'tomorrow' },
    ]) {
      expect(await admin('POST', '/vouchers/batches', body), 400, errorSchema);
    }
    expect(
      await admin('POST', '/vouchers/batches?format=xml', { name: 'n', amount: '1', count: 1 }),
      400,
      errorSchema,
    );
    assert.equal((await store.listVoucherBatches()).length, 2);
  });

  test('POST /v1/vouchers/redeem credits the caller once and says why a code fails', async () => {
    const { codes, batch } = expect(
      await admin('POST', '/vouchers/batches', {
        name: 'redeem',
        amount: '777',
        count: 3,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
      201,
      z.object({ codes: z.array(z.string()), batch: batchSchema }),
    );
    const [first = '', second = '', third = ''] = codes;
    const redeem = (code: unknown, key: string | null = userKey) =>
      send(harness.app, 'POST', '/v1/vouchers/redeem', {
        auth: key === null ? null : `Bearer ${key}`,
        body: { code },
      });
    const before = await availableMicros(userAccountId);

    const typedSloppily = first.toLowerCase().replaceAll('-', ' ');
    const redeemed = expect(await redeem(typedSloppily), 200, redemptionSchema);
    assert.equal(redeemed.amount, '777');
    assert.equal(redeemed.currency, 'KRW');
    assert.equal(BigInt(redeemed.balance.available_micros), before + 777_000_000n);

    const reasons: Array<[unknown, RegExp]> = [
      [first, /already redeemed/],
      ['SHEP-2222-3333-4444-5555', /No voucher has this code/],
      ['SHEP-0000-1111', /not a voucher code/],
      [42, /Send a JSON object/],
    ];
    for (const [code, reason] of reasons) {
      const error = expect(await redeem(code), 400, errorSchema).error;
      assert.match(error.message, reason, String(code));
      assert.equal(error.param, 'code');
    }
    expect(await redeem(second, null), 401, errorSchema);

    harness.setNow(new Date(Date.now() + 2 * 3_600_000));
    try {
      assert.match(expect(await redeem(second), 400, errorSchema).error.message, /expired/);
      const shown = expect(
        await admin('GET', `/vouchers/batches/${batch.id}`),
        200,
        z.object({ batch: batchSchema, vouchers: z.array(voucherSchema) }),
      );
      const states = new Map(shown.vouchers.map((voucher) => [voucher.lastFour, voucher]));
      assert.equal(states.get(first.slice(-4))?.state, 'redeemed');
      assert.equal(states.get(first.slice(-4))?.redeemedBy, userAccountId);
      assert.equal(states.get(third.slice(-4))?.state, 'expired');
      assert.equal(shown.batch.redeemedCount, 1);
    } finally {
      harness.setNow(new Date());
    }
    assert.equal(await availableMicros(userAccountId), before + 777_000_000n);
  });

  test('no GET changes anything, and the ledger checks clean', async () => {
    const snapshot = async () =>
      JSON.stringify(
        {
          accounts: await store.listAccounts(),
          balances: await Promise.all(
            (await store.listAccounts()).map((account) => store.getBalance(account.id)),
          ),
          batches: await store.listVoucherBatches(),
          keys: await store.listApiKeys(),
        },
        (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
      );
    const before = await snapshot();
    const batchId = (await store.listVoucherBatches())[0]?.id ?? '';
    for (const route of harness.routes.filter((entry) => entry.method === 'GET')) {
      const url = route.url
        .replace('/vouchers/batches/:id', `/vouchers/batches/${batchId}`)
        .replaceAll(':id', userAccountId);
      assert.equal((await send(harness.app, 'GET', url)).status, 200, route.url);
    }
    assert.equal(await snapshot(), before);
    const check = expect(
      await admin('GET', '/ledger/check'),
      200,
      z.strictObject({
        ok: z.boolean(),
        checkedAt: z.iso.datetime(),
        violations: z.array(z.unknown()),
      }),
    );
    assert.deepEqual(check.violations, []);
    assert.equal(check.ok, true);
  });
});

test('registering without an admin token fails loudly', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  try {
    await assert.rejects(
      startAdminTestApp({
        store,
        configure: (config) => {
          config.admin = {};
        },
      }),
      /admin\.token/,
    );
  } finally {
    await store.close();
  }
});
