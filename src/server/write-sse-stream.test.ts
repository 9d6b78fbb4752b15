import assert from 'node:assert/strict';
import { createServer, get, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { DONE, nextOfPullStream, type PullStream } from '../canonical/pull-stream.ts';
import { writeSseStream } from './write-sse-stream.ts';

const FRAME = `data: ${'x'.repeat(64 * 1024)}\n\n`;
const FRAMES = 64;

function listenerCounts(response: ServerResponse): string {
  return ['drain', 'close', 'error'].map((name) => response.listenerCount(name)).join('/');
}

test('waiting for drain again and again leaves no listeners behind', async () => {
  const counts: string[] = [];
  let drains = 0;
  let written = 0;
  const server = createServer((_request, response) => {
    const before = listenerCounts(response);
    response.on('drain', () => {
      drains += 1;
    });
    async function* frames(): AsyncGenerator<string> {
      for (let index = 1; index < FRAMES; index += 1) {
        counts.push(listenerCounts(response));
        yield FRAME;
      }
    }
    void writeSseStream({ response, headers: {}, firstFrame: FRAME, frames: frames() }).then(() => {
      counts.unshift(before);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  try {
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port: address.port, path: '/' }, (response) => {
        // A slow reader: the server's socket buffer fills up between reads.
        response.pause();
        const timer = setInterval(() => {
          let chunk: unknown = response.read();
          while (chunk !== null) {
            if (chunk instanceof Buffer) written += chunk.length;
            chunk = response.read();
          }
        }, 2);
        response.on('end', () => {
          clearInterval(timer);
          resolve();
        });
        response.on('error', reject);
      }).on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.ok(drains > 5, `the writer waited for drain (${drains} times)`);
  assert.equal(written, FRAME.length * FRAMES);
  // The drain listener added above is the one extra, from the first frame on.
  const [before, ...during] = counts;
  assert.ok(before !== undefined);
  const [drain, close, error] = before.split('/').map(Number);
  assert.deepEqual(new Set(during), new Set([`${(drain ?? 0) + 1}/${close}/${error}`]));
});

/** Frames that become ready in batches: the first batch at once, each next one a turn later. */
/** Frames arriving in batches, one batch per `whenReady`, after `gapMs` (default: next turn). */
function framesInBatches(batches: readonly string[][], gapMs?: number): PullStream<string> {
  let ready = [...(batches[0] ?? [])];
  let next = 1;
  const stream: PullStream<string> = {
    [Symbol.asyncIterator]() {
      return stream;
    },
    takeNow() {
      const frame = ready.shift();
      if (frame !== undefined) return { done: false, value: frame };
      return next >= batches.length ? DONE : undefined;
    },
    whenReady() {
      return new Promise((resolve) => {
        const arrive = () => {
          ready = [...(batches[next] ?? [])];
          next += 1;
          resolve();
        };
        if (gapMs === undefined) setImmediate(arrive);
        else setTimeout(arrive, gapMs);
      });
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      return DONE;
    },
  };
  return stream;
}

/** The chunks of a raw HTTP/1.1 chunked response body. */
function chunksOf(raw: string): string[] {
  const chunks: string[] = [];
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    assert.ok(Number.isInteger(size), `a chunk size line: ${JSON.stringify(rest)}`);
    if (size === 0) return chunks;
    chunks.push(rest.slice(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

test('the frames that are ready at once go out as one write', async () => {
  const server = createServer((_request, response) => {
    void writeSseStream({
      response,
      headers: {},
      firstFrame: 'data: 1\n\n',
      frames: framesInBatches([
        ['data: 2\n\n', 'data: 3\n\n'],
        ['data: 4\n\n'],
        [],
        ['data: 5\n\n', 'data: 6\n\n'],
      ]),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  try {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(address.port, '127.0.0.1', () => {
        socket.write('GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
      });
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (data: string) => {
        text += data;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.deepEqual(chunksOf(raw), [
      'data: 1\n\ndata: 2\n\ndata: 3\n\n',
      'data: 4\n\n',
      'data: 5\n\ndata: 6\n\n',
    ]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("each turn's taking, encoding and writing is timed, not the waits between turns", async () => {
  const GAP_MS = 30;
  const processingTime: { chunkProcessingMs?: number } = {};
  let elapsed = 0;
  const server = createServer((_request, response) => {
    const started = performance.now();
    const frames = framesInBatches([[], ['data: 2\n\n'], ['data: 3\n\n'], ['data: 4\n\n']], GAP_MS);
    void writeSseStream({
      response,
      headers: {},
      firstFrame: 'data: 1\n\n',
      frames,
      processingTime,
    }).then(() => {
      elapsed = performance.now() - started;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  try {
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port: address.port, path: '/' }, (response) => {
        response.resume();
        response.on('end', resolve);
        response.on('error', reject);
      }).on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.ok(elapsed >= GAP_MS * 3 - 5, `${elapsed} ms`);
  assert.ok((processingTime.chunkProcessingMs ?? 0) > 0, 'each turn was timed');
  assert.ok(
    (processingTime.chunkProcessingMs ?? 0) < elapsed / 3,
    `${processingTime.chunkProcessingMs} ms of ${elapsed}`,
  );
});
