import assert from 'node:assert/strict';
import { createServer, get, type ServerResponse } from 'node:http';
import { test } from 'node:test';
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
