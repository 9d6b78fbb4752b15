import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import * as undiciIndex from 'undici';
import requestOnDispatcher from 'undici/lib/api/api-request.js';
import { Agent, errors, request } from './undici-core.ts';

test("undici-core's Agent and errors are the ones undici's index exports", () => {
  assert.equal(Agent, undiciIndex.Agent);
  assert.equal(errors, undiciIndex.errors);
  assert.equal(errors.ConnectTimeoutError, undiciIndex.errors.ConnectTimeoutError);
});

test("the request function it loads is the one undici's index puts on every dispatcher", () => {
  // The index assigns lib/api to Dispatcher.prototype: its `request` is the file undici-core loads.
  const onPrototype: unknown = Reflect.get(undiciIndex.Dispatcher.prototype, 'request');
  assert.equal(typeof requestOnDispatcher, 'function');
  assert.equal(onPrototype, requestOnDispatcher);
});

let received: { method: string | undefined; url: string | undefined; body: string }[] = [];
const server = createServer((incoming: IncomingMessage, response) => {
  let body = '';
  incoming.setEncoding('utf8');
  incoming.on('data', (chunk: string) => {
    body += chunk;
  });
  incoming.on('end', () => {
    received.push({ method: incoming.method, url: incoming.url, body });
    response.writeHead(201, { 'content-type': 'application/json', 'x-seen': 'yes' });
    response.end('{"ok":true}');
  });
});
let origin = '';
const agent = new Agent();

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('request sends the method, path, query and body through the named dispatcher', async () => {
  received = [];
  const response = await request(`${origin}/v1/chat/completions?alt=sse&x=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"model":"m"}',
    dispatcher: agent,
  });
  assert.equal(response.statusCode, 201);
  assert.equal(response.headers['x-seen'], 'yes');
  assert.equal(await response.body.text(), '{"ok":true}');
  assert.deepEqual(received, [
    { method: 'POST', url: '/v1/chat/completions?alt=sse&x=1', body: '{"model":"m"}' },
  ]);
});

test('request without a query sends the bare path', async () => {
  received = [];
  const response = await request(`${origin}/v1/models`, { method: 'GET', dispatcher: agent });
  await response.body.dump();
  assert.deepEqual(received, [{ method: 'GET', url: '/v1/models', body: '' }]);
});

test("a refused connection rejects with undici's own error, which map-transport-error knows", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(
    request(`http://127.0.0.1:${port}/`, { method: 'GET', dispatcher: agent }),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
      return true;
    },
  );
});

test('each URL is sent to its own path, the same ones again and more than it keeps split', async () => {
  received = [];
  // 560 URLs twice: more than the 512 split URLs kept, so the second round both finds URLs split
  // in the first and splits again those that were let go.
  const urls = Array.from({ length: 560 }, (_, index) =>
    index % 2 === 0 ? `/v1/p${index}` : `/v1/p${index}?q=${index}`,
  );
  for (let round = 0; round < 2; round += 1) {
    for (let start = 0; start < urls.length; start += 140) {
      await Promise.all(
        urls.slice(start, start + 140).map(async (path) => {
          const response = await request(`${origin}${path}`, { method: 'GET', dispatcher: agent });
          await response.body.dump();
        }),
      );
    }
  }
  const sent = received.map((entry) => entry.url ?? '');
  assert.deepEqual(sent.sort(), [...urls, ...urls].sort());
});
