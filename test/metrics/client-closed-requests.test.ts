import assert from 'node:assert/strict';
import http from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'client-closed-admin-token-0123456789';
const ROUTE = '/v1/chat/completions';

/**
 * `shepherd_http_requests_total` and the "request completed" log line count every request once,
 * including those whose client left before the response ended (status 499), at every phase a
 * chat request can be in; and a request that did finish only with its own status.
 */
describe('requests whose client left are counted and logged once, as 499', () => {
  const lines: Array<Record<string, unknown>> = [];
  let harness: TestGateway;
  before(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    harness = await startTestGateway({
      logStream,
      configure(config) {
        config.admin.token = ADMIN_TOKEN;
        config.routing.streamKeepAliveMs = 100;
      },
      simulatorProfiles: {
        // Gemini's simulator sends no headers until the first token: the upstream call is pending.
        'gemini-2.5-flash': { timeToFirstTokenMs: 600, tokensPerSecond: 1_000 },
        // 20 tokens/s, one per chunk: a 200-token answer is still streaming after 300 ms.
        'gpt-4.1': { timeToFirstTokenMs: 0, tokensPerSecond: 20, tokensPerChunk: 1 },
      },
    });
  });
  after(async () => harness.close());

  /** The chat route's count per status code. */
  async function chatCounts(): Promise<Record<string, number>> {
    const response = await fetch(`${harness.gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const counts: Record<string, number> = {};
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('shepherd_http_requests_total{') || !line.includes(`"${ROUTE}"`)) {
        continue;
      }
      const status = /status_code="(\d+)"/.exec(line)?.[1] ?? '?';
      counts[status] = Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return counts;
  }

  /** Posts a chat request and destroys the connection after `dropAfterMs`. */
  function postAndDrop(body: object, dropAfterMs: number): Promise<string> {
    const url = new URL(`${harness.baseUrl}/chat/completions`);
    return new Promise((resolve) => {
      const request = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      });
      let received = '';
      request.on('response', (response) => {
        response.on('data', (chunk: Buffer) => {
          received += chunk.toString('utf8');
        });
        response.on('error', () => {});
      });
      request.on('error', () => {});
      request.end(JSON.stringify(body));
      setTimeout(() => {
        request.destroy();
        resolve(received);
      }, dropAfterMs);
    });
  }

  const completedLines = (from: number) =>
    lines.slice(from).filter((line) => line.msg === 'request completed' && line.url === ROUTE);

  const cases = [
    {
      phase: 'before the upstream answered (no byte sent)',
      body: { model: 'gemini-2.5-flash', stream: true },
      dropAfterMs: 50,
      responseStarted: false,
      received: /^$/,
    },
    {
      phase: 'during keep-alives, before the upstream answered',
      body: { model: 'gemini-2.5-flash', stream: true },
      dropAfterMs: 350,
      responseStarted: true,
      received: /^: keep-alive/,
    },
    {
      phase: 'mid-stream',
      body: { model: 'gpt-4.1', stream: true },
      dropAfterMs: 300,
      responseStarted: true,
      received: /^data: \{"id":"chatcmpl-/,
    },
    {
      phase: 'while a non-streaming call runs (it runs on to completion)',
      body: { model: 'gemini-2.5-flash', stream: false },
      dropAfterMs: 100,
      responseStarted: false,
      received: /^$/,
    },
  ];
  for (const each of cases) {
    test(`dropped ${each.phase}`, async () => {
      const countsBefore = await chatCounts();
      const linesBefore = lines.length;
      const usageRange = () => ({ from: new Date(0), to: new Date(Date.now() + 60_000) });
      const rowsBefore = (await harness.store.listUsageRecords(usageRange())).length;
      const messages = [{ role: 'user', content: 'hello [simulate tokens=200]' }];
      const received = await postAndDrop({ ...each.body, messages }, each.dropAfterMs);
      assert.match(received, each.received);
      // Until the request was settled, and a little more for anything that could count it again.
      while ((await harness.store.listUsageRecords(usageRange())).length === rowsBefore) {
        await delay(20);
      }
      await delay(100);
      const counts = await chatCounts();
      const added = (status: string) => (counts[status] ?? 0) - (countsBefore[status] ?? 0);
      assert.equal(added('499'), 1, JSON.stringify(counts));
      assert.equal(added('200'), 0, JSON.stringify(counts));
      const logged = completedLines(linesBefore);
      assert.equal(logged.length, 1, JSON.stringify(logged));
      assert.equal(logged[0]?.statusCode, 499);
      assert.equal(logged[0]?.responseStarted, each.responseStarted);
    });
  }

  test('a finished stream and a finished answer count once, with their own status', async () => {
    const countsBefore = await chatCounts();
    const linesBefore = lines.length;
    for (const stream of [true, false]) {
      const response = await fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'deepseek-v3.2',
          stream,
          messages: [{ role: 'user', content: 'hi [simulate tokens=3]' }],
        }),
      });
      assert.equal(response.status, 200);
      await response.text();
    }
    // The response's close comes after its finish: give it the time to (not) count again.
    await delay(100);
    const counts = await chatCounts();
    assert.equal((counts['200'] ?? 0) - (countsBefore['200'] ?? 0), 2, JSON.stringify(counts));
    assert.equal((counts['499'] ?? 0) - (countsBefore['499'] ?? 0), 0, JSON.stringify(counts));
    const logged = completedLines(linesBefore);
    assert.deepEqual(
      logged.map((line) => line.statusCode),
      [200, 200],
    );
  });
});
