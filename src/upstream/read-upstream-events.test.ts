import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import {
  collectEvents,
  iterate,
  readFixtureBytes,
  splitAtRandomOffsets,
} from '../../test/helpers/replay-fixture.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { anthropicAdapter } from '../providers/anthropic/index.ts';
import { geminiAdapter } from '../providers/gemini/index.ts';
import { openaiCompatibleAdapter } from '../providers/openai-compatible/index.ts';
import type { ProviderAdapter, StreamEventMapper } from '../providers/provider-adapter.ts';
import { decodeSse } from '../sse/decode-sse.ts';
import { readUpstreamEvents, type UpstreamEventStream } from './read-upstream-events.ts';

/** A body that hands out its pieces one per macrotask, as a socket would, then ends. */
function bodyOf(pieces: Array<Uint8Array | string>, options: { end?: boolean } = {}): Readable {
  const body = new Readable({ read() {} });
  let next = 0;
  const push = () => {
    const piece = pieces[next];
    next += 1;
    if (piece !== undefined) {
      body.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece));
      setImmediate(push);
    } else if (options.end !== false) body.push(null);
  };
  setImmediate(push);
  return body;
}

interface Outcome {
  events: StreamEvent[];
  error: string | undefined;
}

async function outcomeOf(events: AsyncIterable<StreamEvent>): Promise<Outcome> {
  const collected: StreamEvent[] = [];
  try {
    for await (const event of events) collected.push(event);
  } catch (error) {
    const message = error instanceof GatewayError ? `${error.code}: ${error.message}` : `${error}`;
    return { events: collected, error: message };
  }
  return { events: collected, error: undefined };
}

function read(options: {
  body: Readable;
  mapper: StreamEventMapper;
  releases?: string[];
}): UpstreamEventStream {
  const { body } = options;
  return readUpstreamEvents({
    body,
    mapper: options.mapper,
    readError: (error) =>
      new GatewayError('GW_ERR_UPSTREAM_STREAM_ERROR', `read failed: ${String(error)}`),
    mapperError: (error) => error,
    release: () => {
      options.releases?.push(body.readableEnded ? 'ended' : 'open');
      if (!body.destroyed) body.destroy();
    },
  });
}

const adapters: Array<[string, ProviderAdapter]> = [
  ['openai-compatible', openaiCompatibleAdapter],
  ['anthropic', anthropicAdapter],
  ['gemini', geminiAdapter],
];

describe('readUpstreamEvents', () => {
  for (const [folder, adapter] of adapters) {
    test(`${folder}: every recorded stream, split anywhere, maps as mapStream maps it`, async () => {
      const directory = new URL(`../providers/${folder}/__fixtures__/`, import.meta.url);
      const names = (await readdir(directory)).filter((name) => name.endsWith('.sse'));
      assert.ok(names.length > 0);
      for (const name of names) {
        const bytes = await readFixtureBytes(new URL(name, directory));
        const expected = await outcomeOf(adapter.mapStream(decodeSse(iterate([bytes]))));
        for (let seed = 0; seed <= 10; seed += 1) {
          const pieces = seed === 0 ? [bytes] : splitAtRandomOffsets(bytes, seed);
          const createMapper = adapter.createStreamMapper;
          assert.ok(createMapper !== undefined);
          const actual = await outcomeOf(read({ body: bodyOf(pieces), mapper: createMapper() }));
          assert.deepEqual(actual, expected, `${name}, split seed ${seed}`);
        }
      }
    });
  }

  test('stops reading at the terminal message: releases once, before the body ends', async () => {
    const releases: string[] = [];
    const chunk = (delta: string, finish = 'null') =>
      `data: {"id":"c","model":"m","choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`;
    const body = bodyOf(
      [chunk('{"content":"Hi"}'), `${chunk('{}', '"stop"')}data: [DONE]\n\n`, 'data: {"junk'],
      { end: false },
    );
    const outcome = await outcomeOf(
      read({
        body,
        mapper: openaiCompatibleAdapter.createStreamMapper?.() ?? assert.fail(),
        releases,
      }),
    );
    assert.deepEqual(outcome, {
      events: [
        { type: 'response-start', id: 'c', model: 'm' },
        { type: 'text-delta', text: 'Hi' },
        { type: 'response-end', finishReason: 'stop' },
      ],
      error: undefined,
    });
    assert.deepEqual(releases, ['open']);
    assert.equal(body.destroyed, true);
  });

  test('a body failure is re-thrown as readError makes it, after what arrived', async () => {
    const releases: string[] = [];
    const body = bodyOf(['data: one\n\n'], { end: false });
    const mapper: StreamEventMapper = {
      complete: false,
      push: (message) => [{ type: 'text-delta', text: message.data }],
      end: () => [],
    };
    const events = read({ body, mapper, releases });
    assert.deepEqual(await events.next(), {
      done: false,
      value: { type: 'text-delta', text: 'one' },
    });
    setImmediate(() => body.destroy(new Error('socket reset')));
    await assert.rejects(events.next(), {
      code: 'GW_ERR_UPSTREAM_STREAM_ERROR',
      message: 'read failed: Error: socket reset',
    });
    assert.equal(releases.length, 1);
  });

  test('a mapper failure passes unchanged; a consumer that stops early releases the body', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', 'bad');
    const failing = read({
      body: bodyOf(['data: x\n\n']),
      mapper: {
        complete: false,
        push: () => {
          throw failure;
        },
        end: () => [],
      },
    });
    await assert.rejects(failing.next(), (error) => error === failure);

    const releases: string[] = [];
    const body = bodyOf(['data: a\n\ndata: b\n\n'], { end: false });
    const events = read({
      body,
      mapper: {
        complete: false,
        push: (message) => [{ type: 'text-delta', text: message.data }],
        end: () => [],
      },
      releases,
    });
    for await (const event of events) {
      assert.deepEqual(event, { type: 'text-delta', text: 'a' });
      break;
    }
    assert.deepEqual(releases, ['open']);
    assert.equal(body.destroyed, true);
    assert.deepEqual(await collectEvents(events), []);
  });

  test('one wake-up per body chunk: every event it gave is then taken without waiting', async () => {
    const body = new Readable({ read() {} });
    const events = read({
      body,
      mapper: {
        complete: false,
        push: (message) => [{ type: 'text-delta', text: message.data }],
        end: () => [],
      },
    });
    assert.equal(events.takeNow(), undefined);
    const ready = events.whenReady();
    body.push(Buffer.from('data: a\n\ndata: b\n\ndata: c\n\n'));
    await ready;
    const taken = [events.takeNow(), events.takeNow(), events.takeNow(), events.takeNow()];
    assert.deepEqual(taken, [
      { done: false, value: { type: 'text-delta', text: 'a' } },
      { done: false, value: { type: 'text-delta', text: 'b' } },
      { done: false, value: { type: 'text-delta', text: 'c' } },
      undefined,
    ]);
    await events.return();
  });

  test('a body is paused while events wait and nobody waits for them, resumed by whenReady', async () => {
    const body = new Readable({ read() {} });
    const events = read({
      body,
      mapper: {
        complete: false,
        push: (message) => [{ type: 'text-delta', text: message.data }],
        end: () => [],
      },
    });
    body.push(Buffer.from('data: a\n\n'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(body.isPaused(), true);
    assert.deepEqual(events.takeNow(), { done: false, value: { type: 'text-delta', text: 'a' } });
    const ready = events.whenReady();
    assert.equal(body.isPaused(), false);
    body.push(Buffer.from('data: b\n\n'));
    body.push(null);
    await ready;
    assert.deepEqual(await collectEvents(events), [{ type: 'text-delta', text: 'b' }]);
  });
});

test('each read adds the time its decoding and mapping took, not the waits between reads', async () => {
  const pieces = ['data: {"a":1}\n\n', 'data: {"a":2}\n\n', 'data: {"a":3}\n\n'];
  const body = new Readable({ read() {} });
  const GAP_MS = 30;
  void (async () => {
    for (const piece of pieces) {
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      body.push(Buffer.from(piece));
    }
    body.push(null);
  })();
  let mapped = 0;
  const mapper: StreamEventMapper = {
    complete: false,
    push() {
      mapped += 1;
      return [{ type: 'text-delta', text: 'x' }];
    },
    end: () => [],
  };
  const processingTime: { chunkProcessingMs?: number } = {};
  const started = performance.now();
  const stream = readUpstreamEvents({
    body,
    mapper,
    readError: (error) => new GatewayError('GW_ERR_UPSTREAM_STREAM_ERROR', String(error)),
    mapperError: (error) => error,
    release: () => body.destroy(),
    processingTime,
  });
  for await (const _ of stream) {
    // drained
  }
  const elapsed = performance.now() - started;
  assert.equal(mapped, 3);
  assert.ok((processingTime.chunkProcessingMs ?? 0) > 0, 'each read was timed');
  // Three reads spread over about 90 ms: the time counted is the reads' own, a small part of it.
  assert.ok(elapsed >= GAP_MS * 3 - 5);
  assert.ok(
    (processingTime.chunkProcessingMs ?? 0) < elapsed / 3,
    `${processingTime.chunkProcessingMs} ms of ${elapsed}`,
  );
});
