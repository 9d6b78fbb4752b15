import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { startTestGateway } from '../helpers/start-test-gateway.ts';

// node:test runs each file in its own process, so the module cache holds only what this file and
// the gateway it starts have loaded.
test("a running gateway has not loaded Fastify's ajv and fast-json-stringify compilers", async () => {
  const running = await startTestGateway();
  try {
    const response = await fetch(`${running.baseUrl}/models`, {
      headers: { authorization: `Bearer ${running.apiKey}` },
    });
    assert.equal(response.status, 200);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.ok(
      loaded.some((path) => path.includes('/node_modules/fastify/')),
      'the cache is the one Fastify was loaded into',
    );
    for (const compiler of ['/node_modules/ajv/', '/node_modules/@fastify/ajv-compiler/']) {
      assert.deepEqual(
        loaded.filter((path) => path.includes(compiler)),
        [],
        `${compiler} was loaded`,
      );
    }
    assert.deepEqual(
      loaded.filter((path) => path.endsWith('/node_modules/fast-json-stringify/index.js')),
      [],
    );
  } finally {
    await running.close();
  }
});
