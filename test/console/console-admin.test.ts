import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import * as z from 'zod';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  adminPost,
  type ConsoleClient,
  createConsoleClient,
  expectBody,
  expectError,
  startConsoleGateway,
} from './console-client.ts';

const PASSWORD = 'Admin-Flows-2030';
const micros = z.string().regex(/^-?\d+$/);

let harness: TestGateway;
let origin: string;
let admin: ConsoleClient;
let customer: ConsoleClient;
let customerAccountId: string;

before(async () => {
  harness = await startConsoleGateway();
  origin = harness.gateway.url;
  admin = createConsoleClient(origin);
  await admin.signup('operator@example.com', PASSWORD);
  customer = createConsoleClient(origin);
  const signup = await customer.signup('customer@example.com', PASSWORD);
  customerAccountId = z.object({ user: z.object({ accountId: z.string() }) }).parse(signup.body)
    .user.accountId;
});
after(async () => harness.close());

/** Every console admin route, with a body where it takes one. */
const ADMIN_ROUTES: Array<['GET' | 'POST', string, unknown]> = [
  ['GET', '/admin/accounts', undefined],
  ['POST', '/admin/accounts/acct_x/adjustments', { amount: '1', reason: 'x' }],
  ['POST', '/admin/accounts/acct_x/disable', undefined],
  ['POST', '/admin/accounts/acct_x/enable', undefined],
  ['POST', '/admin/vouchers/batches', { name: 'x', amount: '1', count: 1 }],
  ['GET', '/admin/vouchers/batches', undefined],
  ['GET', '/admin/vouchers/batches/vbat_x', undefined],
  ['GET', '/admin/upstreams', undefined],
  ['GET', '/admin/usage', undefined],
];

test('nobody is an admin by signing up; admin routes are 403 for users, 401 without a session', async () => {
  for (const [method, path, body] of ADMIN_ROUTES) {
    const options = body === undefined ? {} : { body };
    expectError(await admin.send(method, path, options), 403, 'admin_role_required');
    expectError(await customer.send(method, path, options), 403, 'admin_role_required');
    expectError(
      await customer.send(method, path, { ...options, cookie: null }),
      401,
      'console_not_authenticated',
    );
  }
});

test('the operator grants and takes back the role through the admin API', async () => {
  const unknown = await adminPost(origin, '/console-users/promote', { email: 'ghost@example.com' });
  assert.equal(unknown.status, 404);
  const promoted = await adminPost(origin, '/console-users/promote', {
    email: 'OPERATOR@example.com',
  });
  assert.equal(promoted.status, 200);
  assert.deepEqual(z.object({ role: z.string(), email: z.string() }).parse(promoted.body), {
    role: 'admin',
    email: 'operator@example.com',
  });
  const me = z.object({ user: z.object({ role: z.string() }) });
  assert.equal(expectBody(await admin.send('GET', '/me'), 200, me).user.role, 'admin');
  const refused = await fetch(`${origin}/admin/api/console-users/promote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'customer@example.com' }),
  });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  const demoted = await adminPost(origin, '/console-users/demote', {
    email: 'customer@example.com',
  });
  assert.equal(demoted.status, 200);
  assert.equal(expectBody(await customer.send('GET', '/me'), 200, me).user.role, 'user');
});

test('admin: search accounts, adjust credits with a reason, disable and enable', async () => {
  const found = expectBody(
    await admin.send('GET', '/admin/accounts?q=CUSTOMER@'),
    200,
    z.object({
      total: z.number(),
      data: z.array(
        z.object({
          id: z.string(),
          status: z.string(),
          balance: z.object({ availableMicros: micros }),
          users: z.array(z.object({ email: z.string(), role: z.string() })),
        }),
      ),
    }),
  );
  assert.equal(found.total, 1);
  assert.equal(found.data[0]?.id, customerAccountId);
  assert.deepEqual(
    found.data[0]?.users.map((user) => user.email),
    ['customer@example.com'],
  );

  expectError(
    await admin.send('POST', `/admin/accounts/${customerAccountId}/adjustments`, {
      body: { amount: '250' },
    }),
    400,
    'invalid_request',
  );
  const adjusted = expectBody(
    await admin.send('POST', `/admin/accounts/${customerAccountId}/adjustments`, {
      body: { amount: '-250.5', reason: 'refund reversal', reference: 'ticket-42' },
    }),
    201,
    z.object({ duplicate: z.boolean(), balance: z.object({ availableMicros: micros }) }),
  );
  assert.equal(adjusted.duplicate, false);
  assert.equal(adjusted.balance.availableMicros, '749500000');
  const replay = await admin.send('POST', `/admin/accounts/${customerAccountId}/adjustments`, {
    body: { amount: '-250.5', reason: 'refund reversal', reference: 'ticket-42' },
  });
  assert.equal(expectBody(replay, 200, z.object({ duplicate: z.boolean() })).duplicate, true);
  const history = z
    .object({
      history: z.array(z.object({ kind: z.string().optional(), reason: z.string().nullish() })),
    })
    .parse((await customer.send('GET', '/credits')).body).history;
  assert.equal(history[0]?.kind, 'adjustment');
  assert.equal(history[0]?.reason, 'refund reversal');
  const ledger = await harness.store.listLedgerEntries({ accountId: customerAccountId, limit: 1 });
  assert.equal(ledger[0]?.actor, 'console:operator@example.com');
  expectError(
    await admin.send('POST', `/admin/accounts/${customerAccountId}/adjustments`, {
      body: { amount: '-1000000', reason: 'too much' },
    }),
    402,
    'insufficient_balance',
  );

  const key = z
    .object({ key: z.string() })
    .parse((await customer.send('POST', '/keys', { body: { name: 'k' } })).body).key;
  const client = new OpenAI({ apiKey: key, baseURL: harness.baseUrl, maxRetries: 0 });
  const disabled = expectBody(
    await admin.send('POST', `/admin/accounts/${customerAccountId}/disable`),
    200,
    z.object({ status: z.string(), users: z.array(z.object({ disabled: z.boolean() })) }),
  );
  assert.equal(disabled.status, 'disabled');
  assert.deepEqual(disabled.users, [{ ...disabled.users[0], disabled: true }]);
  expectError(await customer.send('GET', '/me'), 403, 'console_user_disabled');
  expectError(
    await createConsoleClient(origin).send('POST', '/login', {
      body: { email: 'customer@example.com', password: PASSWORD },
    }),
    403,
    'console_user_disabled',
  );
  await assert.rejects(
    client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'x' }],
    }),
    (error: unknown) => error instanceof OpenAI.AuthenticationError,
  );
  expectBody(
    await admin.send('POST', `/admin/accounts/${customerAccountId}/enable`),
    200,
    z.object({ status: z.literal('active') }),
  );
  expectBody(await customer.send('GET', '/me'), 200, z.object({ user: z.object({}) }));
  await client.chat.completions.create({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'hi' }],
  });
});

test('an account disabled over the admin API shuts its console users out too, until enabled', async () => {
  const user = createConsoleClient(origin);
  const signup = await user.signup('api-disabled@example.com', PASSWORD);
  const accountId = z.object({ user: z.object({ accountId: z.string() }) }).parse(signup.body)
    .user.accountId;
  const disabled = await adminPost(origin, `/accounts/${accountId}/disable`, {});
  assert.equal(disabled.status, 200);
  // Its keys stop, so its console must too: a user still signed in there would make keys that
  // never work and redeem vouchers into an account nobody may spend.
  expectError(await user.send('GET', '/me'), 403, 'console_user_disabled');
  expectError(
    await user.send('POST', '/vouchers/redeem', { body: { code: 'SHEP-2222-3333-4444-5555' } }),
    403,
    'console_user_disabled',
  );
  expectError(
    await createConsoleClient(origin).send('POST', '/login', {
      body: { email: 'api-disabled@example.com', password: PASSWORD },
    }),
    403,
    'console_user_disabled',
  );
  assert.equal((await adminPost(origin, `/accounts/${accountId}/enable`, {})).status, 200);
  expectBody(await user.send('GET', '/me'), 200, z.object({ user: z.object({}) }));
});

test('admin: voucher batches generate, list, redemptions as JSON and CSV', async () => {
  const created = expectBody(
    await admin.send('POST', '/admin/vouchers/batches', {
      body: { name: 'launch', amount: '3000', count: 2 },
    }),
    201,
    z.object({
      batch: z.object({ id: z.string(), count: z.literal(2), createdBy: z.string() }),
      codes: z.array(z.string()).length(2),
    }),
  );
  assert.equal(created.batch.createdBy, 'console:operator@example.com');
  const csvBatch = await admin.send('POST', '/admin/vouchers/batches?format=csv', {
    body: { name: 'csv', amount: '1', count: 3 },
  });
  assert.equal(csvBatch.status, 201);
  assert.match(csvBatch.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(csvBatch.text.trim().split('\r\n').length, 4);

  expectBody(
    await customer.send('POST', '/vouchers/redeem', { body: { code: created.codes[0] } }),
    200,
    z.object({ amount: z.literal('3000') }),
  );
  const listed = expectBody(
    await admin.send('GET', '/admin/vouchers/batches'),
    200,
    z.object({ data: z.array(z.object({ id: z.string(), redeemedCount: z.number() })) }),
  );
  assert.equal(listed.data.find((batch) => batch.id === created.batch.id)?.redeemedCount, 1);
  const detail = expectBody(
    await admin.send('GET', `/admin/vouchers/batches/${created.batch.id}`),
    200,
    z.object({
      vouchers: z.array(z.object({ state: z.string(), redeemedBy: z.string().nullable() })),
    }),
  );
  assert.deepEqual(detail.vouchers.map((voucher) => voucher.state).sort(), [
    'available',
    'redeemed',
  ]);
  assert.ok(detail.vouchers.some((voucher) => voucher.redeemedBy === customerAccountId));
  const csv = await admin.send('GET', `/admin/vouchers/batches/${created.batch.id}?format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'voucher_id,code_last_four,state,redeemed_at,redeemed_by_account');
  assert.equal(lines.length, 3);
  assert.ok(
    lines.some((line) => line.endsWith(`,redeemed,${line.split(',')[3]},${customerAccountId}`)),
  );
  for (const code of created.codes) assert.ok(!csv.text.includes(code), 'codes never leave again');
  expectError(await admin.send('GET', '/admin/vouchers/batches/vbat_missing'), 404, 'not_found');
});

test('admin: global usage by model with top accounts, and upstream health', async () => {
  const usage = expectBody(
    await admin.send('GET', '/admin/usage'),
    200,
    z.object({
      report: z.object({
        accountId: z.null(),
        models: z.array(z.object({ model: z.string(), requests: z.number() })),
        matchesLedger: z.literal(true),
      }),
      topAccounts: z.array(
        z.object({ accountId: z.string(), requests: z.number(), costMicros: micros }),
      ),
    }),
  );
  assert.ok(usage.report.models.some((model) => model.model === 'gpt-4.1' && model.requests >= 1));
  assert.ok(usage.topAccounts.some((account) => account.accountId === customerAccountId));
  expectError(await admin.send('GET', '/admin/usage?month=2026-13'), 400, 'invalid_request');
  const upstreams = expectBody(
    await admin.send('GET', '/admin/upstreams'),
    200,
    z.object({ data: z.array(z.object({ id: z.string(), state: z.string() })) }),
  );
  assert.ok(upstreams.data.some((deployment) => deployment.id.endsWith('/gpt-4.1')));
});
