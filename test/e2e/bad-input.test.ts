import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

describe('bad input gets a clear OpenAI-shaped error and never reaches a provider', () => {
  let harness: TestGateway;
  let upstreamCallsBefore = 0;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.server.bodyLimitBytes = 64 * 1024;
      },
    });
  });
  after(async () => harness.close());

  async function post(
    body: string,
    headers: Record<string, string> = {},
    path = '/chat/completions',
  ): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
    upstreamCallsBefore = harness.simulator.requests.length;
    const response = await fetch(`${harness.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.apiKey}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as ErrorBody,
    };
  }

  function assertNoUpstreamCall() {
    assert.equal(harness.simulator.requests.length, upstreamCallsBefore, 'the provider was called');
  }

  const valid = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] };

  test('a wrong key is 401 with the checklist, without echoing the key', async () => {
    const wrongKey = 'sk-shep-thisIsNotARealKeyAtAll0000000000000000';
    const result = await post(JSON.stringify(valid), { authorization: `Bearer ${wrongKey}` });
    assert.equal(result.status, 401);
    assert.equal(result.body.error.code, 'invalid_api_key');
    assert.equal(result.body.error.type, 'authentication_error');
    assert.match(result.body.error.message, /base URL ends in `\/v1`/);
    assert.match(result.body.error.message, /revoked/);
    assert.ok(!JSON.stringify(result.body).includes(wrongKey));
    assert.match(result.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    assertNoUpstreamCall();
  });

  test('an OpenAI key pasted by mistake and a missing key are both 401', async () => {
    const pasted = await post(JSON.stringify(valid), { authorization: 'Bearer sk-proj-abc123' });
    assert.equal(pasted.status, 401);
    assert.ok(!JSON.stringify(pasted.body).includes('sk-proj-abc123'));
    const missing = await post(JSON.stringify(valid), { authorization: '' });
    assert.equal(missing.status, 401);
    assertNoUpstreamCall();
  });

  test('an unknown model is 404 model_not_found naming what to type instead', async () => {
    const result = await post(JSON.stringify({ ...valid, model: 'claude-3-5-sonnet-20241022' }));
    assert.equal(result.status, 404);
    assert.equal(result.body.error.code, 'model_not_found');
    assert.equal(result.body.error.param, 'model');
    assert.match(result.body.error.message, /`claude-sonnet-4-5`/);
    assertNoUpstreamCall();
  });

  test('malformed JSON is 400 invalid_json', async () => {
    const result = await post('{"model": "gpt-4.1", "messages": [');
    assert.equal(result.status, 400);
    assert.equal(result.body.error.code, 'invalid_json');
    assertNoUpstreamCall();
  });

  test('invalid UTF-8 is 400, not silently replaced', async () => {
    upstreamCallsBefore = harness.simulator.requests.length;
    const bytes = Buffer.concat([
      Buffer.from('{"model":"gpt-4.1","messages":[{"role":"user","content":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]);
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: bytes,
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as ErrorBody).error.message, /UTF-8/);
    assertNoUpstreamCall();
  });

  for (const [field, body] of [
    ['messages', { model: 'gpt-4.1', messages: 'hello' }],
    ['max_tokens', { ...valid, max_tokens: '10' }],
    ['stream', { ...valid, stream: 'yes' }],
    ['temperature', { ...valid, temperature: 7 }],
    ['messages[0].role', { model: 'gpt-4.1', messages: [{ role: 'robot', content: 'x' }] }],
  ] as const) {
    test(`a wrong type in ${field} is 400 naming the field`, async () => {
      const result = await post(JSON.stringify(body));
      assert.equal(result.status, 400);
      assert.equal(result.body.error.type, 'invalid_request_error');
      assert.equal(result.body.error.param, field);
      assert.ok(result.body.error.message.includes(field), result.body.error.message);
      assertNoUpstreamCall();
    });
  }

  test('a body over the limit is 413', async () => {
    const big = JSON.stringify({
      ...valid,
      messages: [{ role: 'user', content: 'x'.repeat(70_000) }],
    });
    const result = await post(big);
    assert.equal(result.status, 413);
    assert.equal(result.body.error.code, 'request_too_large');
    assertNoUpstreamCall();
  });

  test('a parameter the provider cannot honour is 400 naming it, not silently dropped', async () => {
    const result = await post(
      JSON.stringify({ ...valid, model: 'claude-sonnet-4-20250514', seed: 7 }),
    );
    assert.equal(result.status, 400);
    assert.equal(result.body.error.code, 'unsupported_parameter');
    assert.equal(result.body.error.param, 'seed');
    assertNoUpstreamCall();
  });

  test('fields that would redirect the upstream are refused', async () => {
    const result = await post(JSON.stringify({ ...valid, api_base: 'http://169.254.169.254' }));
    assert.equal(result.status, 400);
    assert.equal(result.body.error.param, 'api_base');
    assertNoUpstreamCall();
  });

  test('an unknown path is a 404 in the OpenAI shape', async () => {
    const result = await post(JSON.stringify(valid), {}, '/chat/complete');
    assert.equal(result.status, 404);
    assert.equal(result.body.error.code, 'not_found');
  });

  test('a path with broken percent-encoding is a 400 in the OpenAI shape, with a request id', async () => {
    const origin = harness.baseUrl.replace(/\/v1$/, '');
    for (const path of ['/v1/models/%E0%A4%A', '/v1/%', '/console/api/%zz', '/admin/api/%']) {
      const response = await fetch(`${origin}${path}`, {
        headers: { authorization: `Bearer ${harness.apiKey}` },
      });
      const text = await response.text();
      assert.equal(response.status, 400, `${path}: ${text}`);
      const body = JSON.parse(text) as ErrorBody;
      assert.equal(body.error.type, 'invalid_request_error', text);
      assert.equal(body.error.code, 'invalid_request', text);
      assert.ok(!text.includes('FST_'), `framework internals in ${text}`);
      assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    }
  });

  test('a known path with another method is 405 method_not_allowed naming the method to use', async () => {
    for (const [method, path, allowed] of [
      ['GET', '/chat/completions', 'POST'],
      ['POST', '/models', 'GET'],
      ['DELETE', '/models/gpt-4.1', 'GET'],
    ] as const) {
      const response = await fetch(`${harness.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${harness.apiKey}` },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      const body = (await response.json()) as ErrorBody;
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(body.error.code, 'method_not_allowed');
      assert.match(body.error.message, new RegExp(`\\b${allowed}\\b`));
      assert.match(response.headers.get('allow') ?? '', new RegExp(`\\b${allowed}\\b`));
    }
  });

  test('a trailing or doubled slash still reaches the route', async () => {
    for (const path of ['/v1/chat/completions/', '//v1//chat/completions', '/v1/models/']) {
      const url = harness.baseUrl.replace(/\/v1$/, '') + path;
      const response = await fetch(url, {
        method: path.includes('models') ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
        ...(path.includes('models') ? {} : { body: JSON.stringify(valid) }),
      });
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
  });
});
