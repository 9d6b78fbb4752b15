import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIError } from 'openai/core/error';
import { Stream } from 'openai/core/streaming';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { createUsage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { encodeOpenaiChatStream } from './encode-openai-chat-stream.ts';

/** Frames as the official SDK reads them off the wire: the encoder's output, split at odd offsets. */
async function encodeToBytes(events: StreamEvent[], failure?: GatewayError): Promise<Uint8Array> {
  async function* source(): AsyncGenerator<StreamEvent> {
    for (const event of events) yield event;
    if (failure !== undefined) throw failure;
  }
  let text = '';
  for await (const frame of encodeOpenaiChatStream({
    events: source(),
    id: 'chatcmpl-gw1',
    created: 1_760_000_000,
    model: 'gpt-4.1',
    includeUsage: true,
  })) {
    text += frame;
  }
  return new TextEncoder().encode(text);
}

function streamOf(bytes: Uint8Array, pieceSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

function sdkStream(bytes: Uint8Array): Stream<ChatCompletionChunk> {
  const response = new Response(streamOf(bytes, 7), {
    headers: { 'content-type': 'text/event-stream' },
  });
  return Stream.fromSSEResponse<ChatCompletionChunk>(response, new AbortController());
}

const EVENTS: StreamEvent[] = [
  { type: 'response-start', id: 'up-1', model: 'gpt-4.1-2025-04-14' },
  { type: 'text-delta', text: 'Hi ✓' },
  { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Seoul"}' },
  { type: 'usage', usage: createUsage({ inputTokens: 9, outputTokens: 4 }) },
  { type: 'response-end', finishReason: 'tool-calls' },
];

const CHUNK_BASE = {
  id: 'chatcmpl-gw1',
  object: 'chat.completion.chunk',
  created: 1_760_000_000,
  model: 'gpt-4.1',
  system_fingerprint: null,
};

function deltaChunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    ...CHUNK_BASE,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  };
}

describe('encodeOpenaiChatStream through the official openai SDK', () => {
  it('is parsed by Stream.fromSSEResponse into the expected chunks', async () => {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of sdkStream(await encodeToBytes(EVENTS))) chunks.push(chunk);
    assert.deepEqual(chunks, [
      deltaChunk({ role: 'assistant', content: '' }),
      deltaChunk({ content: 'Hi ✓' }),
      deltaChunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Seoul"}' } }] }),
      deltaChunk({}, 'tool_calls'),
      {
        ...CHUNK_BASE,
        choices: [],
        usage: {
          prompt_tokens: 9,
          completion_tokens: 4,
          total_tokens: 13,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
      },
    ]);
  });

  it('makes the SDK throw an APIError on the mid-stream error frame', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', 'The upstream went silent.');
    const bytes = await encodeToBytes(EVENTS.slice(0, 2), failure);
    const chunks: ChatCompletionChunk[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of sdkStream(bytes)) chunks.push(chunk);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof APIError);
        assert.equal(error.message, 'The upstream went silent.');
        assert.equal(error.code, 'upstream_timeout');
        assert.equal(error.type, 'server_error');
        assert.equal(error.param, null);
        return true;
      },
    );
    assert.deepEqual(chunks, [
      deltaChunk({ role: 'assistant', content: '' }),
      deltaChunk({ content: 'Hi ✓' }),
    ]);
  });

  it('accumulates into a complete chat.completion with the SDK stream helper', async () => {
    const bytes = await encodeToBytes(EVENTS);
    const lines: string[] = [];
    for await (const chunk of sdkStream(bytes)) lines.push(JSON.stringify(chunk));
    const helper = ChatCompletionStream.fromReadableStream(
      streamOf(new TextEncoder().encode(`${lines.join('\n')}\n`), 11),
    );
    const completion = await helper.finalChatCompletion();
    assert.deepEqual(completion.choices, [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Hi ✓',
          refusal: null,
          tool_calls: [
            {
              id: 'call_a',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Seoul"}' },
            },
          ],
          parsed: null,
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ]);
    assert.equal(completion.usage?.total_tokens, 13);
  });

  it('streams a refusal as delta.refusal, which the SDK helper keeps out of content', async () => {
    const bytes = await encodeToBytes([
      { type: 'response-start', id: 'up-2', model: 'gpt-4.1-2025-04-14' },
      { type: 'refusal-delta', text: "I'm sorry, " },
      { type: 'refusal-delta', text: "I can't help with that." },
      { type: 'usage', usage: createUsage({ inputTokens: 9, outputTokens: 8 }) },
      { type: 'response-end', finishReason: 'stop' },
    ]);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of sdkStream(bytes)) chunks.push(chunk);
    assert.deepEqual(chunks.slice(0, 3), [
      deltaChunk({ role: 'assistant', content: '' }),
      deltaChunk({ refusal: "I'm sorry, " }),
      deltaChunk({ refusal: "I can't help with that." }),
    ]);
    const helper = ChatCompletionStream.fromReadableStream(
      streamOf(
        new TextEncoder().encode(`${chunks.map((c) => JSON.stringify(c)).join('\n')}\n`),
        11,
      ),
    );
    const { message } = (await helper.finalChatCompletion()).choices[0] ?? {};
    assert.equal(message?.refusal, "I'm sorry, I can't help with that.");
    // The helper makes an empty content null; what matters is that the refusal is not in it.
    assert.equal(message?.content ?? '', '');
    assert.equal(message?.parsed, null);
  });
});
