import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRecord } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { dataPayloads } from './test-support/data-payloads.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const AUTH = { authorization: 'Bearer sk-behaviour-test' };

function chat(model: string, content: string, extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: 'user', content }], ...extra };
}

describe('simulator behaviour', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({
      latency: 'instant',
      profiles: {
        'paced-model': { timeToFirstTokenMs: 0, tokensPerSecond: 100 },
        'slow-model': { timeToFirstTokenMs: 0, tokensPerSecond: 20 },
      },
    });
  });
  after(async () => simulator.close());

  const send = (body: unknown, path = '/v1/chat/completions') =>
    postToSimulator({ url: simulator.url, path, headers: AUTH, body });

  test('the same input gives the same answer', async () => {
    const first = parseJsonObject((await send(chat('gpt-4.1', 'Same question'))).text);
    const second = parseJsonObject((await send(chat('gpt-4.1', 'Same question'))).text);
    assert.deepEqual(first.choices, second.choices);
    assert.notEqual(first.id, second.id);
  });

  test('max_completion_tokens and max_tokens truncate with finish length', async () => {
    for (const limit of [{ max_completion_tokens: 2 }, { max_tokens: 2 }]) {
      const body = parseJsonObject(
        (await send(chat('gpt-4.1', 'x [simulate tokens=40]', limit))).text,
      );
      assert.deepEqual(body.choices, [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Simulated reply',
            refusal: null,
            annotations: [],
          },
          logprobs: null,
          finish_reason: 'length',
        },
      ]);
    }
  });

  test('a repeated system prompt is reported as cached tokens (OpenAI)', async () => {
    const body = (question: string) => ({
      model: 'gpt-4.1-nano',
      messages: [
        { role: 'system', content: 'R'.repeat(1000) },
        { role: 'user', content: question },
      ],
    });
    const cachedTokens = async (question: string) => {
      const usage = parseJsonObject((await send(body(question))).text).usage;
      assert.ok(isRecord(usage) && isRecord(usage.prompt_tokens_details));
      return usage.prompt_tokens_details.cached_tokens;
    };
    assert.equal(await cachedTokens('first'), 0);
    assert.equal(await cachedTokens('second'), 250);
  });

  test('tokens are paced at the profile rate', async () => {
    const started = performance.now();
    const reply = await send(chat('paced-model', 'x [simulate tokens=21]', { stream: true }));
    assert.equal(dataPayloads(reply.text).length, 24);
    assert.ok(
      performance.now() - started >= 180,
      'twenty tokens after the first take 200 ms at 100 tokens/s',
    );
  });

  test('the request log keeps method, path, masked headers and the parsed body', async () => {
    simulator.clearRequests();
    await send(chat('gpt-4.1', 'logged'));
    assert.equal(simulator.requests.length, 1);
    const entry = simulator.requests[0];
    assert.equal(entry?.method, 'POST');
    assert.equal(entry?.path, '/v1/chat/completions');
    assert.equal(entry?.headers.authorization, 'Bearer ***test');
    assert.deepEqual(entry?.body, chat('gpt-4.1', 'logged'));
  });

  test('an unknown route is a 404', async () => {
    const reply = await send({}, '/v2/whatever');
    assert.equal(reply.status, 404);
    assert.match(reply.text, /no route POST \/v2\/whatever/);
  });

  test('invalid options are refused at start', async () => {
    await assert.rejects(
      startSimulator({ latency: { timeToFirstTokenMs: -1, tokensPerSecond: 10 } }),
      /timeToFirstTokenMs/,
    );
  });
});
