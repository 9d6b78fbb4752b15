import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import type { RequestIdentity } from '../../src/pipeline/request-context.ts';
import {
  createAuthenticationHook,
  type RequestAuthenticator,
} from '../../src/server/authenticate-request.ts';
import { registerErrorHandlers } from '../../src/server/handle-errors.ts';

const IDENTITY: RequestIdentity = {
  keyId: 'key_1',
  accountId: 'acct_1',
  allowedModels: null,
  monthlySpendCapMicros: null,
};

/** An authenticator whose answers the test sets, counting which path each request took. */
function scriptedAuthenticator(answers: {
  now?: (token: string | undefined) => { key: RequestIdentity | undefined } | undefined;
  later?: (token: string | undefined) => Promise<RequestIdentity | undefined>;
}) {
  const calls = { now: 0, later: 0 };
  const authenticator: RequestAuthenticator = {
    authenticate(token) {
      calls.later += 1;
      return answers.later?.(token) ?? Promise.resolve(undefined);
    },
    ...(answers.now === undefined
      ? {}
      : {
          authenticateNow(token: string | undefined) {
            calls.now += 1;
            return answers.now?.(token);
          },
        }),
  };
  return { authenticator, calls };
}

async function appWith(authenticator: RequestAuthenticator): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.decorateRequest('identity', undefined);
  registerErrorHandlers(app);
  app.addHook('onRequest', createAuthenticationHook(authenticator));
  app.get('/whoami', async (request) => ({ keyId: request.identity?.keyId ?? null }));
  await app.ready();
  return app;
}

async function ask(app: FastifyInstance, headers: Record<string, string>) {
  const response = await app.inject({ method: 'GET', url: '/whoami', headers });
  const body = response.json() as { keyId?: string; error?: { code: string } };
  return { status: response.statusCode, keyId: body.keyId, code: body.error?.code };
}

const BEARER = { authorization: 'Bearer sk-shep-test' };

describe('the authentication hook', () => {
  test('a key known at once is admitted or refused without the store', async () => {
    const { authenticator, calls } = scriptedAuthenticator({
      now: (token) => ({ key: token === 'sk-shep-test' ? IDENTITY : undefined }),
    });
    const app = await appWith(authenticator);
    assert.deepEqual(await ask(app, BEARER), { status: 200, keyId: 'key_1', code: undefined });
    assert.deepEqual(await ask(app, { authorization: 'Bearer sk-shep-other' }), {
      status: 401,
      keyId: undefined,
      code: 'invalid_api_key',
    });
    assert.deepEqual(calls, { now: 2, later: 0 });
    await app.close();
  });

  test('an expiry thrown at once is the client’s 403', async () => {
    const { authenticator } = scriptedAuthenticator({
      now: () => {
        throw new GatewayError('GW_ERR_API_KEY_EXPIRED', 'This API key expired.');
      },
    });
    const app = await appWith(authenticator);
    const refused = await ask(app, BEARER);
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'api_key_expired');
    await app.close();
  });

  test('a key not known at once waits for the store, whose failure closes the door', async () => {
    let storeUp = true;
    const { authenticator, calls } = scriptedAuthenticator({
      now: () => undefined,
      later: async () => {
        if (!storeUp) throw new Error('connection refused');
        return IDENTITY;
      },
    });
    const app = await appWith(authenticator);
    assert.deepEqual(await ask(app, BEARER), { status: 200, keyId: 'key_1', code: undefined });
    storeUp = false;
    const refused = await ask(app, BEARER);
    assert.equal(refused.status, 503);
    assert.deepEqual(calls, { now: 2, later: 2 });
    await app.close();
  });

  test('an authenticator without authenticateNow is always asked to wait', async () => {
    const { authenticator, calls } = scriptedAuthenticator({ later: async () => IDENTITY });
    const app = await appWith(authenticator);
    assert.equal((await ask(app, BEARER)).keyId, 'key_1');
    assert.deepEqual(await ask(app, {}), {
      status: 401,
      keyId: undefined,
      code: 'invalid_api_key',
    });
    assert.deepEqual(calls, { now: 0, later: 1 });
    await app.close();
  });
});
