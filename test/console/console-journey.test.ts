import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import * as z from 'zod';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  adminPost,
  createConsoleClient,
  expectBody,
  expectError,
  startConsoleGateway,
} from './console-client.ts';

const micros = z.string().regex(/^-?\d+$/);
const balanceSchema = z.object({
  currency: z.literal('KRW'),
  available: z.string(),
  availableMicros: micros,
  postedMicros: micros,
});
const meSchema = z.object({
  csrfToken: z.string().min(40),
  expiresAt: z.iso.datetime(),
  user: z.object({
    email: z.string(),
    role: z.enum(['user', 'admin']),
    locale: z.string(),
    accountId: z.string().regex(/^acct_/),
    currency: z.literal('KRW'),
    balance: balanceSchema,
    signupBonus: z.object({ credited: z.boolean(), amount: z.string(), amountMicros: micros }),
  }),
});
const logSchema = z.object({
  data: z.array(
    z.object({
      requestId: z.string(),
      keyId: z.string(),
      requestedModel: z.string(),
      servedModel: z.string(),
      fallback: z.boolean(),
      status: z.string(),
      tokens: z.object({ input: z.number(), output: z.number() }),
      costMicros: micros,
      ttftMs: z.number().nullable(),
      totalMs: z.number(),
      tokensPerSecond: z.number().nullable(),
      attempts: z.array(z.object({ model: z.string().nullable(), outcome: z.string().nullable() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});

let harness: TestGateway;
let origin: string;
before(async () => {
  harness = await startConsoleGateway();
  origin = harness.gateway.url;
});
after(async () => harness.close());

/** What a console polling every few seconds would see: asks until `ready` holds (≤ 5 s). */
async function poll<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const value = await read();
    if (ready(value) || attempt === 100) return value;
    await sleep(50);
  }
}

test('signup → bonus → login → key → streamed call → log and usage → voucher → revoke → 401', async () => {
  const browser = createConsoleClient(origin);
  const email = 'Journey.User@Example.com';
  const password = 'river-stone-42';

  // Signup opens the account, credits the bonus once and signs in.
  const signup = expectBody(await browser.signup(email, password), 201, meSchema);
  expectError(await browser.send('GET', '/me', { cookie: null }), 401, 'console_not_authenticated');
  assert.equal(signup.user.email, 'journey.user@example.com');
  assert.equal(signup.user.role, 'user');
  assert.equal(signup.user.locale, 'ko');
  assert.deepEqual(signup.user.signupBonus, {
    credited: true,
    amount: '1000',
    amountMicros: '1000000000',
  });
  const me = expectBody(await browser.send('GET', '/me'), 200, meSchema);
  assert.equal(me.user.balance.availableMicros, '1000000000');
  assert.equal(me.csrfToken, signup.csrfToken, 'a reloaded page gets the same CSRF token');

  // Log out, then log in again with the email in another case.
  expectBody(
    await browser.send('POST', '/logout', { body: {} }),
    200,
    z.object({ loggedOut: z.literal(true) }),
  );
  expectError(await browser.send('GET', '/me'), 401, 'console_not_authenticated');
  const login = await browser.send('POST', '/login', {
    body: { email: email.toUpperCase(), password },
  });
  const cookie = login.headers.get('set-cookie') ?? '';
  assert.match(
    cookie,
    /^shepherd_console=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=604800$/,
  );
  const session = expectBody(login, 200, meSchema);
  assert.notEqual(session.csrfToken, signup.csrfToken, 'a new session, a new token');
  const accountId = session.user.accountId;

  // A key, shown once.
  const created = expectBody(
    await browser.send('POST', '/keys', { body: { name: 'laptop' } }),
    201,
    z.object({
      key: z.string().startsWith('sk-shep-'),
      apiKey: z.object({ id: z.string(), key: z.string(), status: z.literal('active') }),
    }),
  );
  assert.ok(!created.apiKey.key.includes(created.key.slice(12)), 'listed keys are masked');
  const listed = expectBody(
    await browser.send('GET', '/keys'),
    200,
    z.object({ data: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })) }),
  );
  assert.deepEqual(
    listed.data.map((key) => [key.id, key.name, key.key]),
    [[created.apiKey.id, 'laptop', created.apiKey.key]],
  );

  // A streamed call with the official SDK spends from the account.
  const client = new OpenAI({ apiKey: created.key, baseURL: harness.baseUrl, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'Say hello.' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  assert.match(text, /simulat/i);

  const log = await poll(
    async () => expectBody(await browser.send('GET', '/requests'), 200, logSchema),
    (page) => page.data.length > 0,
  );
  assert.equal(log.data.length, 1);
  const row = log.data[0];
  assert.ok(row !== undefined);
  assert.equal(row.keyId, created.apiKey.id);
  assert.equal(row.requestedModel, 'gpt-4.1');
  assert.equal(row.servedModel, 'gpt-4.1');
  assert.equal(row.status, 'ok');
  assert.equal(row.fallback, false);
  assert.ok(row.tokens.output > 0 && BigInt(row.costMicros) > 0n);
  assert.deepEqual(
    row.attempts.map((attempt) => [attempt.model, attempt.outcome]),
    [['gpt-4.1', 'ok']],
  );

  const usage = expectBody(
    await browser.send('GET', '/usage'),
    200,
    z.object({
      accountId: z.string(),
      models: z.array(
        z.object({
          model: z.string(),
          requests: z.number(),
          costMicros: micros,
          share: z.string(),
        }),
      ),
      total: z.object({ costMicros: micros }),
      matchesLedger: z.boolean(),
    }),
  );
  assert.equal(usage.accountId, accountId);
  assert.deepEqual(
    usage.models.map((model) => [model.model, model.requests, model.costMicros, model.share]),
    [['gpt-4.1', 1, row.costMicros, '100.00']],
  );
  assert.equal(usage.matchesLedger, true);
  const csv = await browser.send('GET', '/usage?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(csv.text, /\r\nmodel,gpt-4.1,KRW,1,1,0,0,0,/);
  const today = expectBody(
    await browser.send('GET', '/usage/today'),
    200,
    z.object({ spentMicros: micros, balance: balanceSchema }),
  );
  assert.equal(today.spentMicros, row.costMicros);
  const afterCall = 1_000_000_000n - BigInt(row.costMicros);
  assert.equal(today.balance.availableMicros, afterCall.toString());

  // A voucher the operator generated raises the balance.
  const batch = await adminPost(origin, '/vouchers/batches', {
    name: 'journey',
    amount: '5000',
    count: 1,
  });
  assert.equal(batch.status, 201);
  const code = z.object({ codes: z.array(z.string()).length(1) }).parse(batch.body).codes[0];
  const redeemed = expectBody(
    await browser.send('POST', '/vouchers/redeem', { body: { code } }),
    200,
    z.object({ amount: z.literal('5000'), balance: balanceSchema }),
  );
  assert.equal(redeemed.balance.availableMicros, (afterCall + 5_000_000_000n).toString());
  expectError(
    await browser.send('POST', '/vouchers/redeem', { body: { code } }),
    409,
    'voucher_already_redeemed',
  );
  expectError(
    await browser.send('POST', '/vouchers/redeem', { body: { code: 'nonsense' } }),
    400,
    'voucher_malformed',
  );
  const credits = expectBody(
    await browser.send('GET', '/credits'),
    200,
    z.object({
      balance: balanceSchema,
      history: z.array(
        z.object({ type: z.string(), amountMicros: micros, kind: z.string().optional() }),
      ),
    }),
  );
  assert.deepEqual(
    credits.history.map((item) => [item.type, item.kind ?? null, item.amountMicros]),
    [
      ['usage', null, `-${row.costMicros}`],
      ['credit', 'voucher', '5000000000'],
      ['credit', 'signup_bonus', '1000000000'],
    ],
  );

  // Revoked: the key stops working at once.
  expectBody(
    await browser.send('DELETE', `/keys/${created.apiKey.id}`),
    200,
    z.object({ revoked: z.literal(true) }),
  );
  await assert.rejects(
    client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'x' }],
    }),
    (error: unknown) => error instanceof OpenAI.AuthenticationError,
  );
  const afterRevoke = expectBody(
    await browser.send('GET', '/keys'),
    200,
    z.object({ data: z.array(z.object({ status: z.string() })) }),
  );
  assert.deepEqual(
    afterRevoke.data.map((key) => key.status),
    ['revoked'],
  );
  expectError(
    await browser.send('PATCH', `/keys/${created.apiKey.id}`, { body: { monthlySpendCap: '100' } }),
    409,
    'api_key_revoked',
  );
});

test('key policy, request log filters and pagination, models with wallet prices', async () => {
  const browser = createConsoleClient(origin);
  await browser.signup('policy.user@example.com', 'Policy-Setter-7');
  const created = z.object({ key: z.string(), apiKey: z.object({ id: z.string() }) }).parse(
    (
      await browser.send('POST', '/keys', {
        body: { name: 'capped', monthlySpendCap: '500', allowedModels: ['gpt-4.1'] },
      })
    ).body,
  );
  const policy = expectBody(
    await browser.send('PATCH', `/keys/${created.apiKey.id}`, {
      body: { allowedModels: ['gpt-4.1', 'gemini-2.5-flash'], expiresAt: '2099-01-01T00:00:00Z' },
    }),
    200,
    z.strictObject({
      id: z.string(),
      monthlySpendCap: z.string(),
      monthlySpendCapMicros: z.string(),
      allowedModels: z.array(z.string()),
      expiresAt: z.string(),
    }),
  );
  assert.deepEqual(policy, {
    id: created.apiKey.id,
    monthlySpendCap: '500',
    monthlySpendCapMicros: '500000000',
    allowedModels: ['gpt-4.1', 'gemini-2.5-flash'],
    expiresAt: '2099-01-01T00:00:00.000Z',
  });
  expectError(
    await browser.send('PATCH', `/keys/${created.apiKey.id}`, {
      body: { allowedModels: ['nope'] },
    }),
    400,
    'invalid_request',
  );
  expectError(
    await browser.send('POST', '/keys', {
      body: { name: 'born-expired', expiresAt: '2020-01-01T00:00:00Z' },
    }),
    400,
    'invalid_request',
  );

  const client = new OpenAI({ apiKey: created.key, baseURL: harness.baseUrl, maxRetries: 0 });
  await assert.rejects(
    client.chat.completions.create({
      model: 'deepseek-v3.2',
      messages: [{ role: 'user', content: 'x' }],
    }),
    (error: unknown) => error instanceof OpenAI.PermissionDeniedError,
  );
  for (const model of ['gpt-4.1', 'gemini-2.5-flash', 'gpt-4.1']) {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  }
  const rows = await poll(
    async () => expectBody(await browser.send('GET', '/requests?limit=2'), 200, logSchema),
    (page) => page.nextCursor !== null,
  );
  assert.equal(rows.data.length, 2);
  assert.ok(rows.nextCursor !== null);
  const next = expectBody(
    await browser.send('GET', `/requests?limit=2&cursor=${rows.nextCursor}`),
    200,
    logSchema,
  );
  const all = [...rows.data, ...next.data].map((row) => row.requestedModel);
  assert.deepEqual(all, ['gpt-4.1', 'gemini-2.5-flash', 'gpt-4.1'], 'newest first, none twice');
  assert.equal(next.nextCursor, null);
  const gemini = expectBody(
    await browser.send('GET', '/requests?model=gemini-2.5-flash'),
    200,
    logSchema,
  );
  assert.deepEqual(
    gemini.data.map((row) => row.servedModel),
    ['gemini-2.5-flash'],
  );
  const byKey = expectBody(
    await browser.send('GET', `/requests?keyId=${created.apiKey.id}`),
    200,
    logSchema,
  );
  assert.equal(byKey.data.length, 3);
  expectError(await browser.send('GET', '/requests?cursor=bogus'), 400, 'invalid_request');

  // Another user sees neither the rows nor the key.
  const stranger = createConsoleClient(origin);
  await stranger.signup('stranger@example.com', 'Lone-Walker-9x');
  const theirs = expectBody(await stranger.send('GET', '/requests'), 200, logSchema);
  assert.deepEqual(theirs.data, []);
  expectError(await stranger.send('DELETE', `/keys/${created.apiKey.id}`), 404, 'not_found');

  const models = expectBody(
    await browser.send('GET', '/models'),
    200,
    z.object({
      currency: z.literal('KRW'),
      exchangeRate: z.string(),
      data: z.array(
        z.object({
          id: z.string(),
          contextWindow: z.number(),
          pricing: z
            .object({
              usdPerMillionTokens: z.record(z.string(), z.string()),
              walletPerMillionTokens: z.record(z.string(), z.string()),
            })
            .nullable(),
        }),
      ),
    }),
  );
  const gpt = models.data.find((model) => model.id === 'gpt-4.1');
  const configured = harness.config.models.find((model) => model.id === 'gpt-4.1');
  assert.ok(gpt?.pricing && configured?.pricing);
  assert.equal(gpt.contextWindow, configured.contextWindow);
  assert.equal(gpt.pricing.usdPerMillionTokens.input, configured.pricing.input);
  assert.equal(
    Number(gpt.pricing.walletPerMillionTokens.input),
    Number(configured.pricing.input) * Number(models.exchangeRate),
  );
});
