import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

/** What a browser app on another origin sends before the openai SDK's first call. */
const BROWSER_ORIGIN = 'http://localhost:5173';
const SDK_HEADERS = 'authorization,content-type,x-stainless-os,x-stainless-retry-count';

describe('browser apps on another origin can call /v1 (CORS), as with OpenAI and OpenRouter', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway();
  });
  after(async () => harness.close());

  for (const path of ['/chat/completions', '/models', '/models/gpt-4.1']) {
    test(`a preflight for ${path} is answered 204 without a key, allowing the SDK's headers`, async () => {
      const response = await fetch(`${harness.baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: BROWSER_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': SDK_HEADERS,
        },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
      assert.equal(response.headers.get('access-control-allow-headers'), SDK_HEADERS);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
    });
  }

  test('a streamed answer is readable cross-origin and exposes x-request-id', async () => {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        origin: BROWSER_ORIGIN,
        authorization: `Bearer ${harness.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    assert.ok(exposed.includes('x-request-id'), `exposed: ${exposed.join(', ')}`);
    assert.match(await response.text(), /data: \[DONE\]/);
  });

  test('errors are readable cross-origin too (a 401 without a key)', async () => {
    const response = await fetch(`${harness.baseUrl}/models`, {
      headers: { origin: BROWSER_ORIGIN },
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });

  test('a request without Origin (not a browser) gets no CORS headers', async () => {
    const response = await fetch(`${harness.baseUrl}/models`, {
      headers: { authorization: `Bearer ${harness.apiKey}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test('the console API (cookie sessions) allows no other origin (test plan F10)', async () => {
    const consoleUrl = harness.baseUrl.replace(/\/v1$/, '/console/api/me');
    const preflight = await fetch(consoleUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const read = await fetch(consoleUrl, { headers: { origin: 'https://evil.example' } });
    assert.equal(read.headers.get('access-control-allow-origin'), null);
  });
});
