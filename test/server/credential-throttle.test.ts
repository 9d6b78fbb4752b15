import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestFromAddress } from '../helpers/request-from-address.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'throttle-test-admin-token-0123456789';
const WRONG_KEY = 'sk-shep-wrong-key-that-matches-nothing-0000000000';

/** A request from `options.from` with an optional Authorization header. */
function send(
  url: string,
  options: { from: string; authorization?: string; headers?: Record<string, string> },
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  return requestFromAddress(url, { from: options.from, headers });
}

describe('test plan F11: invalid credentials are throttled per client address', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.admin.token = ADMIN_TOKEN;
      },
    });
  });
  after(async () => harness.close());

  test('the 21st invalid key within 60 s gets 429 with Retry-After; other addresses and keyless requests are unaffected', async () => {
    const models = `${harness.baseUrl}/models`;
    const attacker = '127.0.0.21';
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const answer = await send(models, { from: attacker, authorization: `Bearer ${WRONG_KEY}` });
      assert.equal(answer.status, 401, `attempt ${attempt}: ${answer.text}`);
    }
    const refused = await send(models, { from: attacker, authorization: `Bearer ${WRONG_KEY}` });
    assert.equal(refused.status, 429, refused.text);
    assert.match(refused.text, /"code":"too_many_invalid_credentials"/);
    assert.match(refused.text, /"type":"rate_limit_error"/);
    const seconds = Number(refused.retryAfter);
    assert.ok(seconds >= 1 && seconds <= 60, `Retry-After ${refused.retryAfter}`);

    // Refused before the key is looked at: a valid key from the throttled address waits too.
    const validFromAttacker = await send(models, {
      from: attacker,
      authorization: `Bearer ${harness.apiKey}`,
    });
    assert.equal(validFromAttacker.status, 429, validFromAttacker.text);

    const otherClient = await send(models, {
      from: '127.0.0.22',
      authorization: `Bearer ${harness.apiKey}`,
    });
    assert.equal(otherClient.status, 200, otherClient.text);
    const otherWrong = await send(models, {
      from: '127.0.0.22',
      authorization: `Bearer ${WRONG_KEY}`,
    });
    assert.equal(otherWrong.status, 401, 'another address has its own count');
  });

  test('a missing key guesses nothing and is not counted', async () => {
    const models = `${harness.baseUrl}/models`;
    for (let attempt = 1; attempt <= 25; attempt += 1) {
      const answer = await send(models, { from: '127.0.0.23' });
      assert.equal(answer.status, 401, `attempt ${attempt}: ${answer.text}`);
    }
    const valid = await send(models, {
      from: '127.0.0.23',
      authorization: `Bearer ${harness.apiKey}`,
    });
    assert.equal(valid.status, 200, valid.text);
  });

  test('invalid admin tokens count against the address too, on the admin API and /metrics', async () => {
    const client = '127.0.0.24';
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const admin = await send(`${harness.gateway.url}/admin/api/accounts`, {
        from: client,
        authorization: 'Bearer guess-admin-token',
      });
      assert.equal(admin.status, 401, admin.text);
      const metrics = await send(`${harness.gateway.url}/metrics`, {
        from: client,
        authorization: 'Bearer guess-admin-token',
      });
      assert.equal(metrics.status, 401, metrics.text);
    }
    const refused = await send(`${harness.gateway.url}/admin/api/accounts`, {
      from: client,
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    assert.equal(refused.status, 429, refused.text);
    const fromElsewhere = await send(`${harness.gateway.url}/admin/api/accounts`, {
      from: '127.0.0.25',
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    assert.equal(fromElsewhere.status, 200, fromElsewhere.text);
  });

  test('X-Forwarded-For is not believed unless server.trustProxy says so', async () => {
    const models = `${harness.baseUrl}/models`;
    const client = '127.0.0.26';
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      // A different forwarded address every time cannot spread the count.
      await send(models, {
        from: client,
        authorization: `Bearer ${WRONG_KEY}`,
        headers: { 'x-forwarded-for': `203.0.113.${attempt}` },
      });
    }
    const refused = await send(models, {
      from: client,
      authorization: `Bearer ${WRONG_KEY}`,
      headers: { 'x-forwarded-for': '203.0.113.200' },
    });
    assert.equal(refused.status, 429, refused.text);
  });
});

describe('behind a trusted reverse proxy (server.trustProxy)', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.server.trustProxy = ['127.0.0.31'];
        config.security.authFailureLimit = { maxFailures: 3, windowSeconds: 60 };
      },
    });
  });
  after(async () => harness.close());

  test('clients are told apart by X-Forwarded-For from the proxy, and only from the proxy', async () => {
    const models = `${harness.baseUrl}/models`;
    const proxy = '127.0.0.31';
    const viaProxy = (client: string, key: string) =>
      send(models, {
        from: proxy,
        authorization: `Bearer ${key}`,
        headers: { 'x-forwarded-for': client },
      });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      assert.equal((await viaProxy('198.51.100.7', WRONG_KEY)).status, 401);
    }
    assert.equal((await viaProxy('198.51.100.7', harness.apiKey)).status, 429);
    assert.equal(
      (await viaProxy('198.51.100.8', harness.apiKey)).status,
      200,
      'another client behind the same proxy is unaffected',
    );
    // A peer that is not the trusted proxy is counted by its own address, whatever it forwards.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await send(models, {
        from: '127.0.0.32',
        authorization: `Bearer ${WRONG_KEY}`,
        headers: { 'x-forwarded-for': `198.51.100.${50 + attempt}` },
      });
    }
    const untrusted = await send(models, {
      from: '127.0.0.32',
      authorization: `Bearer ${harness.apiKey}`,
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    assert.equal(untrusted.status, 429, untrusted.text);
  });
});

describe('security.authFailureLimit.maxFailures: 0', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.security.authFailureLimit = { maxFailures: 0, windowSeconds: 60 };
      },
    });
  });
  after(async () => harness.close());

  test('turns the throttle off', async () => {
    const models = `${harness.baseUrl}/models`;
    for (let attempt = 1; attempt <= 25; attempt += 1) {
      const answer = await send(models, {
        from: '127.0.0.41',
        authorization: `Bearer ${WRONG_KEY}`,
      });
      assert.equal(answer.status, 401, `attempt ${attempt}`);
    }
  });
});
