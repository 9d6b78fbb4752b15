import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { getHeapSnapshot } from 'node:v8';
import { forEachHeapNode } from '../../bench/measure/summarize-heap-snapshot.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import { startTestGateway } from '../helpers/start-test-gateway.ts';

const PROMPT_CHARACTERS = 256 * 1024;

/**
 * An OpenAI-compatible upstream that reads each request's body as bytes and drops them (so this
 * process never holds the prompt as text on the upstream's side), answers with one content chunk
 * and keeps the stream open until the test ends.
 */
async function startHoldingUpstream() {
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = {
        id: 'chatcmpl-held',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4.1',
        choices: [
          { index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null },
        ],
      };
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      open.add(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    async close() {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The request's bytes, with a prompt of `PROMPT_CHARACTERS` that starts with `marker`: built and
 * dropped in here, so the test itself keeps no string of the prompt, only these bytes.
 */
function requestBytes(marker: string): Buffer {
  const prompt = `${marker} `.repeat(PROMPT_CHARACTERS / (marker.length + 1) + 1);
  return Buffer.from(
    JSON.stringify({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: prompt.slice(0, PROMPT_CHARACTERS) }],
    }),
  );
}

/** Sizes of the strings on this process's heap that begin with `marker` (after a collection). */
async function heapStringsStartingWith(marker: string): Promise<number[]> {
  const pieces: Buffer[] = [];
  for await (const piece of getHeapSnapshot()) pieces.push(Buffer.from(piece));
  const parsed = safeParseJson(Buffer.concat(pieces).toString('utf8'));
  assert.ok(parsed.ok, 'the heap snapshot is JSON');
  const sizes: number[] = [];
  forEachHeapNode(parsed.value, (type, name, bytes) => {
    if (type.includes('string') && name.startsWith(marker)) sizes.push(bytes);
  });
  return sizes;
}

test('an open stream keeps no text of its prompt once its first content is out', async (context) => {
  const upstream = await startHoldingUpstream();
  const gateway = await startTestGateway({
    configure: (config) => {
      const openai = config.providers.openai;
      assert.ok(openai !== undefined, 'the built-in catalogue has an openai provider');
      openai.baseUrl = upstream.url;
    },
  });
  const client = new Set<{ destroy(): void }>();
  context.after(async () => {
    // The stream first (client and upstream), so the gateway has nothing in flight to wait for.
    for (const request of client) request.destroy();
    await upstream.close();
    await gateway.close();
  });
  const marker = `prompt-probe-${randomBytes(8).toString('hex')}`;
  const { origin, pathname } = new URL(`${gateway.baseUrl}/chat/completions`);
  const firstContent = await new Promise<string>((resolve, reject) => {
    const sent = httpRequest(
      `${origin}${pathname}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (piece: string) => {
          text += piece;
          if (text.includes('"content":"Hello"')) resolve(text);
        });
        response.on('error', reject);
      },
    );
    client.add(sent);
    sent.on('error', reject);
    sent.end(requestBytes(marker));
  });
  assert.match(firstContent, /^data: /);
  // The stream is open: the upstream still holds it, and the gateway is relaying it.
  const retained = await heapStringsStartingWith(marker);
  assert.deepEqual(
    retained.filter((bytes) => bytes >= PROMPT_CHARACTERS),
    [],
    'no string as long as the prompt is still on the heap',
  );
});
