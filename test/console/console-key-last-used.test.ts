import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import * as z from 'zod';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import { createConsoleClient, expectBody, startConsoleGateway } from './console-client.ts';

const keysSchema = z.object({
  data: z.array(z.object({ id: z.string(), lastUsedAt: z.string().nullable() })),
});

let harness: TestGateway;
before(async () => {
  harness = await startConsoleGateway();
});
after(async () => harness.close());

test('a key used for a request shows when it was last used', async () => {
  const browser = createConsoleClient(harness.gateway.url);
  await browser.signup('last-used@example.com', 'Correct-Horse-42');
  const created = expectBody(
    await browser.send('POST', '/keys', { body: { name: 'laptop' } }),
    201,
    z.object({ key: z.string(), apiKey: z.object({ id: z.string() }) }),
  );
  const before = expectBody(await browser.send('GET', '/keys'), 200, keysSchema);
  assert.equal(before.data[0]?.lastUsedAt, null);

  const startedAt = Date.now();
  const client = new OpenAI({ apiKey: created.key, baseURL: harness.baseUrl, maxRetries: 0 });
  await client.chat.completions.create({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'hello' }],
  });
  // Recorded off the request's path: give the write a moment.
  let lastUsedAt: string | null | undefined = null;
  for (let attempt = 0; attempt < 50 && lastUsedAt === null; attempt += 1) {
    const listed = expectBody(await browser.send('GET', '/keys'), 200, keysSchema);
    lastUsedAt = listed.data.find((key) => key.id === created.apiKey.id)?.lastUsedAt;
    if (lastUsedAt === null) await sleep(20);
  }
  assert.ok(typeof lastUsedAt === 'string', 'lastUsedAt stays empty after a request');
  assert.ok(Date.parse(lastUsedAt) >= startedAt - 1000 && Date.parse(lastUsedAt) <= Date.now());
});
