import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connectionsCheckingIntervalMs } from '../../src/server/create-app.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
/** What the test allows past a limit: Node checks on a timer (here every 500 ms), plus CI noise. */
const SLACK_MS = 1_500;

/** Test plan A17: a client dripping its headers or its body is closed soon after the limit. */
describe('slow clients are closed within the configured timeouts', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway({
      configure(config) {
        config.server.headersTimeoutMs = HEADERS_TIMEOUT_MS;
        config.server.requestTimeoutMs = REQUEST_TIMEOUT_MS;
      },
    });
  });
  after(async () => harness.close());

  /**
   * Sends `head` at once, then one byte of `drip` every 100 ms; resolves when the server closes
   * the socket, with how long that took and what it answered. Gives up a second past the slack,
   * so a missed limit fails the test in seconds, not at Node's 30 s default check.
   */
  function drip(head: string, trickle: string): Promise<{ closedAfterMs: number; answer: string }> {
    const { hostname, port } = new URL(harness.gateway.url);
    return new Promise((resolve) => {
      const started = performance.now();
      const socket = net.connect(Number(port), hostname);
      let answer = '';
      let index = 0;
      socket.write(head);
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(trickle[index % trickle.length] ?? 'x');
        index += 1;
      }, 100);
      const giveUp = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS + SLACK_MS + 1_000);
      socket.on('data', (data: Buffer) => {
        answer += data.toString('latin1');
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve({ closedAfterMs: performance.now() - started, answer });
      });
    });
  }

  test('Node checks the limits every half of the shorter one, at most every second', () => {
    const interval = (headersTimeoutMs: number, requestTimeoutMs: number) =>
      connectionsCheckingIntervalMs({
        ...harness.config.server,
        headersTimeoutMs,
        requestTimeoutMs,
      });
    assert.equal(interval(HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS), 500);
    assert.equal(interval(30_000, 120_000), 1_000);
    assert.equal(interval(5_000, 600), 300);
    assert.equal(interval(1, 1), 1);
  });

  test('headers and a body dripped a byte at a time: 408 within the limit and the slack', async () => {
    const request = 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n';
    const [headers, body] = await Promise.all([
      drip(request, `X-Pad: ${'a'.repeat(200)}`),
      drip(
        `${request}Authorization: Bearer ${harness.apiKey}\r\nContent-Length: 1000\r\n\r\n`,
        '{',
      ),
    ]);
    for (const [what, outcome, limit] of [
      ['headers', headers, HEADERS_TIMEOUT_MS],
      ['body', body, REQUEST_TIMEOUT_MS],
    ] as const) {
      assert.match(outcome.answer, /^HTTP\/1\.1 408 /, `${what}: ${outcome.answer.slice(0, 80)}`);
      assert.ok(
        outcome.closedAfterMs >= limit,
        `${what}: closed early, ${outcome.closedAfterMs} ms`,
      );
      assert.ok(
        outcome.closedAfterMs <= limit + SLACK_MS,
        `${what}: closed ${Math.round(outcome.closedAfterMs)} ms after it began (limit ${limit} ms)`,
      );
    }
  });
});
