import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';

test('one request makes one log line: no "incoming request", one "request completed"', async () => {
  const { config } = loadConfig({
    env: {},
    simulatorUrl: 'http://127.0.0.1:9',
    overrides: { port: 0, databaseUrl: 'sqlite::memory:' },
  });
  config.server.logLevel = 'info';
  const lines: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const store = await openStore({ url: config.database.url });
  const gateway = await startGateway({ config, store, keyPepper: 'test-pepper', logStream });
  try {
    const response = await fetch(`${gateway.url}/healthz`);
    await response.text();
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId !== null);
    await new Promise((resolve) => setImmediate(resolve));
    const ofRequest = lines.filter((line) => line.reqId === requestId);
    assert.deepEqual(
      ofRequest.map((line) => [line.msg, line.statusCode, line.url]),
      [['request completed', 200, '/healthz']],
    );
    assert.equal(lines.filter((line) => line.msg === 'incoming request').length, 0);
  } finally {
    await gateway.close();
    await store.close();
  }
});
