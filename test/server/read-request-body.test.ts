import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { readRequestBody } from '../../src/server/parse-json-body.ts';

interface Reading {
  error: Error | null;
  text: string;
  /** `done` was called before `readRequestBody` returned. */
  synchronous: boolean;
}

function read(message: IncomingMessage, payload: NodeJS.ReadableStream, limit: number) {
  return new Promise<Reading>((resolve) => {
    let returned = false;
    readRequestBody(message, payload, limit, (error, bytes) => {
      resolve({ error, text: bytes.toString('utf8'), synchronous: !returned });
    });
    returned = true;
  });
}

/**
 * A server that hands each request to `handle`, and a client that sends `parts` as the body (one
 * write each, `gapMs` apart), with `content-length` when `declared` is given, else chunked.
 */
async function exchange(options: {
  parts: string[];
  declared?: number;
  gapMs?: number;
  handle: (message: IncomingMessage) => Promise<Reading>;
}): Promise<Reading> {
  let reading: Promise<Reading> | undefined;
  const server = createServer((message, response) => {
    reading = options.handle(message);
    void reading.then(() => response.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const client = httpRequest({
    port,
    method: 'POST',
    headers: options.declared === undefined ? {} : { 'content-length': String(options.declared) },
  });
  client.on('error', () => {});
  for (const [index, part] of options.parts.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, options.gapMs ?? 20));
    client.write(part);
  }
  client.end();
  const [response] = (await once(client, 'response')) as [IncomingMessage];
  response.resume();
  await once(response, 'end');
  server.close();
  assert.ok(reading !== undefined, 'the server saw the request');
  return reading;
}

const BODY = '{"model":"gpt-4.1","messages":[{"role":"user","content":"안녕하세요"}]}';
const BODY_BYTES = Buffer.byteLength(BODY);

describe('readRequestBody', () => {
  test('a body already buffered is taken at once, in one read', async () => {
    const reading = await exchange({
      parts: [BODY],
      declared: BODY_BYTES,
      handle: async (message) => {
        // Let the whole request arrive before the body is read, as the gateway's hooks do.
        while (message.readableLength < BODY_BYTES) await nextTurn();
        return read(message, message, 1_024);
      },
    });
    assert.deepEqual(reading, { error: null, text: BODY, synchronous: true });
  });

  test('a body still arriving is gathered from its parts', async () => {
    const half = Math.floor(BODY.length / 2);
    const reading = await exchange({
      parts: [BODY.slice(0, half), BODY.slice(half)],
      declared: BODY_BYTES,
      handle: (message) => read(message, message, 1_024),
    });
    assert.deepEqual(reading, { error: null, text: BODY, synchronous: false });
  });

  test('a chunked body (no content-length) is gathered to its end', async () => {
    const reading = await exchange({
      parts: [BODY.slice(0, 10), BODY.slice(10)],
      handle: (message) => read(message, message, 1_024),
    });
    assert.deepEqual(reading, { error: null, text: BODY, synchronous: false });
  });

  test('a declared length over the limit is refused before anything is read', async () => {
    const reading = await exchange({
      parts: [BODY],
      declared: BODY_BYTES,
      handle: async (message) => {
        const refused = await read(message, message, BODY_BYTES - 1);
        message.resume();
        return refused;
      },
    });
    assert.equal(reading.synchronous, true);
    assert.equal(reading.error?.message, 'The request body is larger than this gateway accepts.');
  });

  test('a chunked body that grows past the limit is refused as it arrives', async () => {
    const reading = await exchange({
      parts: [BODY, BODY],
      handle: async (message) => {
        const refused = await read(message, message, BODY_BYTES + 10);
        message.resume();
        return refused;
      },
    });
    assert.equal(reading.error?.message, 'The request body is larger than this gateway accepts.');
  });

  test('a replaced payload stream that ends short of the declared length is refused', async () => {
    const reading = await exchange({
      parts: [BODY],
      declared: BODY_BYTES,
      handle: async (message) => {
        message.resume();
        const payload = new PassThrough();
        const reading = read(message, payload, 1_024);
        payload.end(BODY.slice(0, 5));
        return reading;
      },
    });
    assert.equal(
      reading.error?.message,
      `The request body has 5 bytes; its Content-Length says ${BODY_BYTES}.`,
    );
  });
});
