/**
 * Some OpenAI-compatible servers answer without `usage` (absent or null). The provider still
 * billed the answer, so the gateway charges an estimate, flagged `estimated`, streamed or not: a
 * plain answer used to be charged 0, and one without the key at all failed as a 502.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { countOutputTokens } from '../../src/accounting/count-output-tokens.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import { type FailoverGateway, startFailoverGateway } from '../failover/start-failover-gateway.ts';
import { readChatStream } from '../helpers/read-chat-stream.ts';

const ANSWER = 'Here is a fairly long answer that the provider generated and billed for. '.repeat(
  20,
);
const BASE = { id: 'chatcmpl-x', created: 1, model: 'bare-model' };

/** `null`: usage null; `absent`: no usage key at all. */
let usageForm: 'null' | 'absent' = 'null';

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  const parsed = safeParseJson(body);
  const streamed = parsed.ok && (parsed.value as { stream?: unknown }).stream === true;
  if (!streamed) {
    const completion: Record<string, unknown> = {
      ...BASE,
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' },
      ],
    };
    if (usageForm === 'null') completion.usage = null;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(completion));
    return;
  }
  void request;
  const chunk = (delta: object, finishReason: string | null) =>
    `data: ${JSON.stringify({ ...BASE, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(
    `${chunk({ role: 'assistant', content: ANSWER }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`,
  );
}

const upstream = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (piece: string) => {
    body += piece;
  });
  request.on('end', () => answer(request, response, body));
});

describe('answers without usage', () => {
  let harness: FailoverGateway;
  before(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    harness = await startFailoverGateway({
      providers: { bare: { type: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k' } },
      models: [
        {
          id: 'bare',
          ownedBy: 'tests',
          contextWindow: 100_000,
          maxOutputTokens: 1_000,
          pricing: { input: 1, output: 2 },
          routes: [{ provider: 'bare', model: 'bare-model' }],
        },
      ],
    });
  });
  after(async () => {
    await harness.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  for (const form of ['null', 'absent'] as const) {
    test(`usage ${form}: a plain answer is charged the estimate a streamed one is`, async () => {
      usageForm = form;
      const messages = [{ role: 'user', content: 'hello' }];
      const streamed = await harness.chat({ model: 'bare', stream: true, messages });
      const plain = await harness.chat({ model: 'bare', messages });
      assert.equal(streamed.status, 200);
      assert.equal(plain.status, 200, plain.text);

      const streamedRow = await harness.usageRow(streamed.requestId);
      const plainRow = await harness.usageRow(plain.requestId);
      const answerTokens = countOutputTokens(ANSWER);
      for (const row of [streamedRow, plainRow]) {
        assert.equal(row.status, 'ok');
        assert.equal(row.estimated, true);
        assert.equal(row.outputTokens, answerTokens);
        assert.ok(row.inputTokens > 0);
        assert.ok(row.costMicros > 0n);
      }
      assert.equal(plainRow.costMicros, streamedRow.costMicros);
      assert.equal(plain.headers.get('x-shepherd-cost') !== '0', true);
      // The client's usage is what it was charged for.
      const body = safeParseJson(plain.text);
      assert.ok(body.ok);
      const usage = (body.value as { usage: { completion_tokens: number; prompt_tokens: number } })
        .usage;
      assert.equal(usage.completion_tokens, answerTokens);
      assert.equal(usage.prompt_tokens, plainRow.inputTokens);
    });

    test(`usage ${form}: a streamed answer's usage chunk reports the tokens it was charged for`, async () => {
      usageForm = form;
      const streamed = await harness.chat({
        model: 'bare',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hello' }],
      });
      assert.equal(streamed.status, 200);
      const row = await harness.usageRow(streamed.requestId);
      assert.equal(row.estimated, true);
      const read = await readChatStream(Readable.from([streamed.text]));
      assert.equal(read.done, true);
      assert.equal(read.usage?.completion_tokens, row.outputTokens);
      assert.equal(read.usage?.prompt_tokens, row.inputTokens);
      assert.ok((read.usage?.cost ?? 0) > 0);
    });
  }
});
