import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { errors as undiciErrors } from 'undici';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { createUsage } from '../canonical/usage.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { mapTransportError } from './map-transport-error.ts';
import { ONE_SHOT_BODY_MIN_BYTES } from './sendable-body.ts';
import {
  type CallTimeouts,
  createUpstreamClient,
  type UpstreamCall,
  type UpstreamClient,
} from './upstream-client.ts';

/** What a provider's error event or error member would become: its text as the message. */
function providerError(text: string): GatewayError {
  return new GatewayError('GW_ERR_UPSTREAM_BAD_REQUEST', text);
}

/**
 * A fake adapter: each SSE message's data becomes one text delta, a JSON body one text part; data
 * or a body starting with `error` is a provider error quoting it, as the real mappers do.
 */
const echoAdapter: ProviderAdapter = {
  type: 'openai-compatible',
  buildRequest() {
    throw new Error('the upstream client never builds requests');
  },
  mapResponse(body) {
    if (typeof body === 'string' && body.startsWith('error')) throw providerError(body);
    const text = JSON.stringify(body);
    return {
      id: 'r',
      model: 'm',
      content: [{ type: 'text', text }],
      finishReason: 'stop',
      usage: createUsage({}),
    };
  },
  async *mapStream(messages) {
    for await (const message of messages) {
      if (message.data.startsWith('error')) throw providerError(message.data);
      yield { type: 'text-delta', text: message.data };
    }
  },
  mapError(response) {
    return new GatewayError('GW_ERR_UPSTREAM_SERVER_ERROR', `status ${response.status}`);
  },
};

/** The same echo, through the synchronous mapper the upstream client runs in its read loop. */
const syncEchoAdapter: ProviderAdapter = {
  ...echoAdapter,
  createStreamMapper: () => ({
    complete: false,
    push: (message) => {
      if (message.data.startsWith('error')) throw providerError(message.data);
      return [{ type: 'text-delta', text: message.data }];
    },
    end: () => [],
  }),
};

const SSE = { 'content-type': 'text/event-stream' };
const TEST_API_KEY = 'sk-test-secret-key';
const JSON_TYPE = { 'content-type': 'application/json' };

/** Responses still dripping: their intervals are timers too, gone once the client hangs up. */
const dribbling = new Set<ServerResponse>();

/** Drips data forever (until the client goes), so only a total limit can end the answer. */
function dribble(response: ServerResponse, piece: string): void {
  const timer = setInterval(() => response.write(piece), 5);
  dribbling.add(response);
  response.on('close', () => {
    clearInterval(timer);
    dribbling.delete(response);
  });
}

async function untilDribblingStops(): Promise<void> {
  while (dribbling.size > 0) await new Promise((resolve) => setImmediate(resolve));
}

/** The provider's misbehaviours, one per path. */
function answer(path: string | undefined, response: ServerResponse): void {
  switch (path) {
    case '/stall-headers':
      return;
    case '/stall-body':
      response.writeHead(200, SSE);
      response.write('data: one\n\n');
      return;
    case '/dribble':
      response.writeHead(200, SSE);
      dribble(response, 'data: tick\n\n');
      return;
    case '/keep-alive-only':
      response.writeHead(200, SSE);
      response.write('data: one\n\n');
      dribble(response, ': keep-alive\n\n');
      return;
    case '/dribble-json':
      response.writeHead(200, JSON_TYPE);
      response.write('["');
      dribble(response, 'x');
      return;
    case '/reset':
      response.socket?.destroy();
      return;
    case '/reset-json':
      response.writeHead(200, JSON_TYPE);
      response.write('{"ok":', () => response.socket?.destroy());
      return;
    case '/split-json': {
      // "안" (3 bytes in UTF-8) cut between two writes, a third write after a pause.
      const bytes = Buffer.from('{"text":"안녕"}', 'utf8');
      response.writeHead(200, JSON_TYPE);
      response.write(bytes.subarray(0, 10));
      setTimeout(() => {
        response.write(bytes.subarray(10, 13));
        setTimeout(() => response.end(bytes.subarray(13)), 5);
      }, 5);
      return;
    }
    case '/big-json':
      response.writeHead(200, JSON_TYPE);
      response.end(JSON.stringify({ text: 'x'.repeat(2_000) }));
      return;
    case '/reset-body':
      response.writeHead(200, SSE);
      response.write('data: one\n\n', () => response.socket?.destroy());
      return;
    case '/error-event-quoting-key':
      response.writeHead(200, SSE);
      response.end(`data: one\n\ndata: error: key ${TEST_API_KEY} is not allowed\n\n`);
      return;
    case '/error-body-quoting-key':
      response.writeHead(200, JSON_TYPE);
      response.end(JSON.stringify(`error: key ${TEST_API_KEY} is not allowed`));
      return;
    case '/stream':
      response.writeHead(200, SSE);
      response.end('data: one\n\ndata: two\n\n');
      return;
    default:
      response.writeHead(200, JSON_TYPE);
      response.end('{"ok":true}');
  }
}

/** Answers with the request's body as text and its declared length. */
function echoBody(request: IncomingMessage, response: ServerResponse): void {
  const pieces: Buffer[] = [];
  request.on('data', (piece: Buffer) => pieces.push(piece));
  request.on('end', () => {
    response.writeHead(200, JSON_TYPE);
    response.end(
      JSON.stringify({
        length: Number(request.headers['content-length']),
        body: Buffer.concat(pieces).toString('utf8'),
      }),
    );
  });
}

/**
 * Streams one event, `<declared length>:<bytes read>:<transfer-encoding>` of the request, then
 * stays open until the client hangs up.
 */
function echoLengthThenHold(request: IncomingMessage, response: ServerResponse): void {
  let received = 0;
  request.on('data', (piece: Buffer) => {
    received += piece.length;
  });
  request.on('end', () => {
    const { headers } = request;
    response.writeHead(200, SSE);
    response.write(
      `data: ${headers['content-length']}:${received}:${headers['transfer-encoding'] ?? 'none'}\n\n`,
    );
  });
}

/** A full garbage collection, which `node --test` does not expose by default. */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const collect: unknown = runInNewContext('gc');
  assert.ok(typeof collect === 'function');
  return () => {
    collect();
  };
}

const generous: CallTimeouts = {
  connectMs: 5_000,
  firstByteMs: 5_000,
  idleMs: 5_000,
  totalMs: 60_000,
};

// A broken limit would hang a stalling test: the suite's own timeout keeps it bounded.
for (const [streamPath, adapter] of [
  ['mapStream', echoAdapter],
  ['createStreamMapper', syncEchoAdapter],
] as const) {
  describe(`upstream client timeouts (streams through ${streamPath})`, { timeout: 20_000 }, () => {
    const server = createServer((request, response) => {
      if (request.url === '/echo-body') {
        echoBody(request, response);
        return;
      }
      if (request.url === '/echo-length-then-hold') {
        echoLengthThenHold(request, response);
        return;
      }
      request.resume();
      answer(request.url, response);
    });
    let baseUrl = '';
    let client: UpstreamClient;
    before(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      assert.ok(address !== null && typeof address === 'object');
      baseUrl = `http://127.0.0.1:${address.port}`;
      // Defaults that would hang the stalling tests: only a call's own timeouts can end them.
      client = createUpstreamClient({
        connectTimeoutMs: 5_000,
        headersTimeoutMs: 600_000,
        bodyIdleTimeoutMs: 600_000,
        maxResponseBytes: 1_000_000,
      });
    });
    after(async () => {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    function callTo(
      path: string,
      options: { timeouts?: Partial<CallTimeouts>; signal?: AbortSignal; body?: string } = {},
    ): UpstreamCall {
      const call: UpstreamCall = {
        adapter,
        secrets: [TEST_API_KEY],
        httpRequest: {
          url: baseUrl + path,
          method: 'POST',
          headers: JSON_TYPE,
          body: Buffer.from(options.body ?? '{}'),
          stream: true,
        },
      };
      if (options.timeouts !== undefined) call.timeouts = { ...generous, ...options.timeouts };
      if (options.signal !== undefined) call.signal = options.signal;
      return call;
    }

    /** Reads a stream to its end or its error, keeping the texts that arrived first. */
    async function drain(events: AsyncIterable<StreamEvent>) {
      const texts: string[] = [];
      try {
        for await (const event of events) if (event.type === 'text-delta') texts.push(event.text);
      } catch (error) {
        return { texts, error };
      }
      return { texts, error: undefined };
    }

    function assertTimeout(error: unknown, message: RegExp): void {
      assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
      assert.equal(error.code, 'GW_ERR_UPSTREAM_TIMEOUT');
      assert.equal(error.isRetryable, true);
      assert.match(error.message, message);
    }

    test('no headers within firstByteMs: a retryable timeout naming the limit', async () => {
      await assert.rejects(
        client.stream(callTo('/stall-headers', { timeouts: { firstByteMs: 30 } })),
        (error) => {
          assertTimeout(error, /^The provider did not answer within 0\.03 s\.$/);
          return true;
        },
      );
    });

    test('silence mid-body for idleMs: the stream fails after what arrived', async () => {
      const events = await client.stream(callTo('/stall-body', { timeouts: { idleMs: 30 } }));
      const { texts, error } = await drain(events);
      assert.deepEqual(texts, ['one']);
      assertTimeout(error, /^The provider stopped sending data for 0\.03 s before/);
    });

    test('keep-alive comments alone do not keep a stream from its idle limit (B13)', async () => {
      const started = performance.now();
      const events = await client.stream(callTo('/keep-alive-only', { timeouts: { idleMs: 60 } }));
      const { texts, error } = await drain(events);
      assert.deepEqual(texts, ['one']);
      // The comments kept coming every 5 ms: only the events' silence counts.
      assertTimeout(error, /^The provider stopped sending data for 0\.06 s before/);
      assert.ok(performance.now() - started >= 60);
    });

    test('a stream that never stops is cut mid-stream at totalMs, not by idle', async () => {
      const events = await client.stream(callTo('/dribble', { timeouts: { totalMs: 60 } }));
      const { texts, error } = await drain(events);
      assert.ok(texts.length > 0, 'the cut happens mid-stream');
      assert.ok(texts.every((text) => text === 'tick'));
      assertTimeout(error, /^The provider did not finish within 0\.06 s\.$/);
    });

    test('totalMs before the first byte, for stream and complete alike', async () => {
      const timeouts = { totalMs: 40 };
      await assert.rejects(client.stream(callTo('/stall-headers', { timeouts })), (error) => {
        assertTimeout(error, /^The provider did not finish within 0\.04 s\.$/);
        return true;
      });
      await assert.rejects(client.complete(callTo('/stall-headers', { timeouts })), (error) => {
        assertTimeout(error, /^The provider did not finish within 0\.04 s\.$/);
        return true;
      });
    });

    test('complete: a body still arriving at totalMs is a timeout', async () => {
      await assert.rejects(
        client.complete(callTo('/dribble-json', { timeouts: { totalMs: 50 } })),
        (error) => {
          assertTimeout(error, /^The provider did not finish within 0\.05 s\.$/);
          return true;
        },
      );
    });

    test('the client leaving is CLIENT_CLOSED, before headers and mid-stream, even with a total limit', async () => {
      const beforeHeaders = new AbortController();
      const pending = client.complete(
        callTo('/stall-headers', { timeouts: {}, signal: beforeHeaders.signal }),
      );
      setTimeout(() => beforeHeaders.abort(), 20);
      await assert.rejects(pending, { code: 'GW_ERR_CLIENT_CLOSED' });

      const midStream = new AbortController();
      const events = await client.stream(
        callTo('/dribble', { timeouts: {}, signal: midStream.signal }),
      );
      const texts: string[] = [];
      const failure = await (async () => {
        try {
          for await (const event of events) {
            if (event.type === 'text-delta') texts.push(event.text);
            if (texts.length === 2) midStream.abort();
          }
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      assert.equal(texts.length, 2);
      assert.ok(failure instanceof GatewayError);
      assert.equal(failure.code, 'GW_ERR_CLIENT_CLOSED');
    });

    test('complete: a body in several pieces is read whole, a character split across them intact', async () => {
      const response = await client.complete(callTo('/split-json', { timeouts: generous }));
      assert.deepEqual(response.content, [{ type: 'text', text: '{"text":"안녕"}' }]);
    });

    test('an encoded body goes out as its bytes, with their length', async () => {
      const body = JSON.stringify({
        messages: [{ role: 'user', content: '안녕하세요 👋 '.repeat(500) }],
      });
      const response = await client.complete(callTo('/echo-body', { body }));
      assert.deepEqual(response.content, [
        { type: 'text', text: JSON.stringify({ length: Buffer.byteLength(body), body }) },
      ]);
    });

    test('a large encoded body goes out whole with its length, and is not kept while the answer streams', async () => {
      const collect = garbageCollector();
      // Made in a function of its own, so that nothing here refers to the body but the WeakRef.
      const open = async () => {
        const body = JSON.stringify({ text: '안녕 '.repeat(ONE_SHOT_BODY_MIN_BYTES / 3) });
        const call = callTo('/echo-length-then-hold', { body, timeouts: generous });
        const sent = new WeakRef(call.httpRequest.body);
        return { sent, size: Buffer.byteLength(body), events: await client.stream(call) };
      };
      const { sent, size, events } = await open();
      const iterator = events[Symbol.asyncIterator]();
      try {
        const first = await iterator.next();
        assert.deepEqual(first.value, { type: 'text-delta', text: `${size}:${size}:none` });
        await new Promise((resolve) => setImmediate(resolve));
        collect();
        assert.equal(sent.deref(), undefined, 'the open stream still holds the request body');
      } finally {
        await iterator.return?.();
      }
    });

    test('a provider error inside a 200 answer reaches the caller with the key redacted', async () => {
      const streamed = await drain(await client.stream(callTo('/error-event-quoting-key')));
      assert.deepEqual(streamed.texts, ['one']);
      const inBody = await client.complete(callTo('/error-body-quoting-key')).catch((e) => e);
      for (const error of [streamed.error, inBody]) {
        assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
        assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
        assert.equal(error.message, 'error: key [redacted] is not allowed');
      }
    });

    test('the client defaults apply to calls without timeouts of their own', async () => {
      const strict = createUpstreamClient({
        connectTimeoutMs: 5_000,
        headersTimeoutMs: 30,
        bodyIdleTimeoutMs: 30,
        maxResponseBytes: 1_000,
      });
      const totalOnly = createUpstreamClient({
        connectTimeoutMs: 5_000,
        headersTimeoutMs: 600_000,
        bodyIdleTimeoutMs: 600_000,
        totalTimeoutMs: 40,
        maxResponseBytes: 1_000,
      });
      try {
        await assert.rejects(strict.stream(callTo('/stall-headers')), (error) => {
          assertTimeout(error, /^The provider did not answer within 0\.03 s\.$/);
          return true;
        });
        await assert.rejects(totalOnly.stream(callTo('/stall-headers')), (error) => {
          assertTimeout(error, /^The provider did not finish within 0\.04 s\.$/);
          return true;
        });
      } finally {
        await Promise.all([strict.close(), totalOnly.close()]);
      }
    });

    test('a finished, failed or abandoned call leaves no timer behind', async () => {
      const timers = () =>
        process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
      await untilDribblingStops();
      const baseline = timers();
      const timeouts = { totalMs: 60_000 };

      assert.deepEqual(await drain(await client.stream(callTo('/stream', { timeouts }))), {
        texts: ['one', 'two'],
        error: undefined,
      });
      assert.equal(timers(), baseline, 'after a stream that ended');

      const answer = await client.complete(callTo('/json', { timeouts }));
      assert.deepEqual(answer.content, [{ type: 'text', text: '{"ok":true}' }]);
      assert.equal(timers(), baseline, 'after complete()');

      for await (const event of await client.stream(callTo('/dribble', { timeouts }))) {
        assert.equal(event.type, 'text-delta');
        break;
      }
      await untilDribblingStops();
      assert.equal(timers(), baseline, 'after the consumer stopped early');

      const broken = await drain(await client.stream(callTo('/reset-body', { timeouts })));
      assert.deepEqual(broken.texts, ['one']);
      assert.ok(broken.error instanceof GatewayError);
      assert.equal(broken.error.code, 'GW_ERR_UPSTREAM_STREAM_ERROR');
      assert.equal(timers(), baseline, 'after a stream that broke');

      await assert.rejects(client.complete(callTo('/reset-json', { timeouts })), (error) => {
        assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
        assert.equal(error.isRetryable, true);
        return true;
      });
      assert.equal(timers(), baseline, 'after a body cut short');

      const small = createUpstreamClient({
        connectTimeoutMs: 5_000,
        headersTimeoutMs: 5_000,
        bodyIdleTimeoutMs: 5_000,
        maxResponseBytes: 1_000,
      });
      try {
        await assert.rejects(small.complete(callTo('/big-json', { timeouts })), {
          code: 'GW_ERR_UPSTREAM_BAD_RESPONSE',
          message: "The provider's response exceeded 1000 bytes.",
        });
        assert.deepEqual(
          (await small.complete(callTo('/json', { timeouts }))).content,
          [{ type: 'text', text: '{"ok":true}' }],
          'a body within the limit',
        );
      } finally {
        await small.close();
      }
      assert.equal(timers(), baseline, 'after a body over the limit');

      for (const send of [client.complete, client.stream]) {
        await assert.rejects(send(callTo('/reset', { timeouts })), {
          code: 'GW_ERR_UPSTREAM_UNREACHABLE',
        });
      }
      assert.equal(timers(), baseline, 'after calls that failed before headers');
    });
  });
}

describe('mapTransportError', () => {
  const timeouts = { connectMs: 2_500, firstByteMs: 1_000, idleMs: 1_000, totalMs: 600_000 };

  test('a connect timeout names its own limit', () => {
    const error = mapTransportError({
      error: new undiciErrors.ConnectTimeoutError(),
      clientSignal: undefined,
      deadlineExpired: false,
      timeouts,
    });
    assert.equal(error.code, 'GW_ERR_UPSTREAM_TIMEOUT');
    assert.equal(error.message, 'The provider did not accept a connection within 2.5 s.');
  });

  test('a passed total limit wins over the abort it caused; whole seconds print plainly', () => {
    const aborted = AbortSignal.abort();
    const error = mapTransportError({
      error: new Error('aborted'),
      clientSignal: aborted,
      deadlineExpired: true,
      timeouts,
    });
    assert.equal(error.message, 'The provider did not finish within 600 s.');
    const closed = mapTransportError({
      error: new Error('aborted'),
      clientSignal: aborted,
      deadlineExpired: false,
      timeouts,
    });
    assert.equal(closed.code, 'GW_ERR_CLIENT_CLOSED');
  });
});
