import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startSimulator } from './start-simulator.ts';
import { openRawStream } from './test-support/open-raw-stream.ts';

// Only node:http clients without an agent here, so every timer and socket counted is the simulator's.
const AUTH = { authorization: 'Bearer sk-lifecycle-test' };

function streamBody(model: string, tokens: number) {
  return {
    model,
    stream: true,
    messages: [{ role: 'user', content: `x [simulate tokens=${tokens}]` }],
  };
}

function countActive(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

async function settle(kind: string, expected: number): Promise<number> {
  for (let attempt = 0; attempt < 100 && countActive(kind) !== expected; attempt++) await delay(10);
  return countActive(kind);
}

describe('simulator lifecycle', () => {
  test('a client disconnect stops generation and leaves no timer behind', async () => {
    const simulator = await startSimulator({
      latency: { timeToFirstTokenMs: 0, tokensPerSecond: 20 },
    });
    try {
      const timersBefore = countActive('Timeout');
      const path = '/v1/chat/completions';
      const { request, response } = await openRawStream({
        url: simulator.url,
        path,
        body: streamBody('gpt-4.1', 400),
        headers: AUTH,
      });
      await once(response, 'data');
      assert.ok(countActive('Timeout') > timersBefore, 'generation is pacing with a timer');
      request.destroy();
      assert.equal(await settle('Timeout', timersBefore), timersBefore);
    } finally {
      await simulator.close();
    }
  });

  test('close() ends open streams promptly and leaves no server, socket or timer handle', async () => {
    // Nothing else in this file keeps a server or socket open once its simulator is closed.
    const before = [0, 0, countActive('Timeout')];
    const simulator = await startSimulator({
      latency: { timeToFirstTokenMs: 0, tokensPerSecond: 10 },
    });
    const path = '/v1/messages';
    const body = { ...streamBody('claude-sonnet-4-5', 100), max_tokens: 500 };
    const { response } = await openRawStream({
      url: simulator.url,
      path,
      body,
      headers: { 'x-api-key': 'k' },
    });
    await once(response, 'data');
    const ended = new Promise<boolean>((resolve) => {
      response.on('error', () => resolve(true));
      response.on('close', () => resolve(!response.complete));
    });
    const started = performance.now();
    await simulator.close();
    assert.ok(performance.now() - started < 500);
    assert.equal(await ended, true, 'the client sees the stream cut, not completed');
    assert.deepEqual(
      await Promise.all(
        ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'].map((kind, index) =>
          settle(kind, before[index] ?? 0),
        ),
      ),
      before,
    );
  });

  test("the realistic profile's first token comes after roughly 400 ms", async () => {
    const simulator = await startSimulator({ latency: 'realistic' });
    try {
      const started = performance.now();
      const path = '/v1/chat/completions';
      const { response } = await openRawStream({
        url: simulator.url,
        path,
        body: streamBody('gpt-4.1', 2),
        headers: AUTH,
      });
      let text = '';
      let firstChunkMs: number | undefined;
      for await (const chunk of response) {
        firstChunkMs ??= performance.now() - started;
        text += String(chunk);
      }
      assert.ok(
        firstChunkMs !== undefined && firstChunkMs >= 380 && firstChunkMs < 2000,
        `first chunk after ${firstChunkMs} ms`,
      );
      assert.ok(text.endsWith('data: [DONE]\n\n'));
    } finally {
      await simulator.close();
    }
  });
});
