import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

interface Answer {
  status: number;
  body: {
    choices?: Array<{ message: { content: string } }>;
    error?: { message: string; code: string };
  };
}

const BODY_LIMIT = 64 * 1024;

/**
 * Clients that compress request bodies (HTTP libraries with request compression on, agents that
 * resend long histories) send `Content-Encoding`, which OpenAI's and Anthropic's APIs accept.
 */
describe('compressed request bodies', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      configure: (config) => {
        config.server.bodyLimitBytes = BODY_LIMIT;
      },
    });
  });
  after(async () => harness.close());

  async function post(bytes: Buffer, encoding: string): Promise<Answer> {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.apiKey}`,
        'content-type': 'application/json',
        'content-encoding': encoding,
      },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  const request = Buffer.from(
    JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
  );

  for (const [encoding, compress] of [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['GZIP', gzipSync],
  ] as const) {
    test(`a ${encoding} body is decoded and answered`, async () => {
      const answer = await post(compress(request), encoding);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.match(answer.body.choices?.[0]?.message.content ?? '', /simulat/i);
    });
  }

  test('identity is the body as it is', async () => {
    assert.equal((await post(request, 'identity')).status, 200);
  });

  test('a body that inflates past the limit is 413, and no provider is called', async () => {
    const calls = harness.simulator.requests.length;
    const big = JSON.stringify({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'x'.repeat(BODY_LIMIT * 4) }],
    });
    const compressed = gzipSync(big);
    assert.ok(compressed.length < BODY_LIMIT);
    const answer = await post(compressed, 'gzip');
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'request_too_large');
    assert.equal(harness.simulator.requests.length, calls);
  });

  test('bytes that are not what the encoding says are 400 naming the encoding', async () => {
    const answer = await post(request, 'gzip');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error?.code, 'invalid_json');
    assert.match(answer.body.error?.message ?? '', /gzip/);
  });

  test('an encoding the gateway cannot decode is 415 naming it and what it accepts', async () => {
    const answer = await post(request, 'zstd');
    assert.equal(answer.status, 415);
    assert.equal(answer.body.error?.code, 'unsupported_media_type');
    assert.match(answer.body.error?.message ?? '', /zstd/);
    assert.match(answer.body.error?.message ?? '', /gzip/);
  });
});
