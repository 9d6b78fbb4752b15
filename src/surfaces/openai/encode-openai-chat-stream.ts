import type { StreamEvent } from '../../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../../canonical/usage.ts';
import { GatewayError, toGatewayError } from '../../errors/gateway-error.ts';
import { encodeOpenaiErrorObject } from './encode-openai-error.ts';
import { encodeOpenaiFinishReason } from './encode-openai-finish-reason.ts';
import { type Charge, encodeOpenaiUsage } from './encode-openai-usage.ts';

export interface EncodeOpenaiChatStreamInput {
  events: AsyncIterable<StreamEvent>;
  /** The gateway's completion id (`chatcmpl-…`), the same on every chunk. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The public model id the client asked for. */
  model: string;
  /** `stream_options.include_usage`: add the `choices: []` usage chunk and `"usage": null` elsewhere. */
  includeUsage: boolean;
  /** Told about a failure that was turned into an error frame (the generator itself ends quietly). */
  onError?: (error: GatewayError) => void;
}

const ROLE_DELTA = '{"role":"assistant","content":""}';
const DONE_FRAME = 'data: [DONE]\n\n';

/**
 * Canonical events → `chat.completion.chunk` SSE frames, exactly as OpenAI streams them: a role
 * chunk, content chunks, a finish chunk with `delta: {}`, the usage chunk when asked, `[DONE]`.
 *
 * Nothing is yielded before the first event, so a failure before it is rethrown and can still
 * become a real HTTP error. A failure after a frame went out (or a source that ends without
 * `response-end`) ends the stream with one `data: {"error": …}` frame and no `[DONE]`; the error is
 * passed to `onError`. Events after `response-end` are drained so usage arriving late still counts.
 *
 * Extension fields (absent when empty): `delta.reasoning_content` (reasoning text);
 * `delta.thinking_blocks` (each entry one complete block: the block's whole reasoning text with its
 * `signature`, or `{type: 'redacted_thinking', data}`: collect entries, never merge them);
 * `tool_calls[].function.thought_signature`; `usage.cache_creation_input_tokens`; `usage.cost`,
 * `usage.currency` and `usage.balance` (from the gateway's `charge` event).
 *
 * Each chunk is built around a per-stream prefix and suffix, so per-chunk work is one small
 * `JSON.stringify` of the delta.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export async function* encodeOpenaiChatStream(
  input: EncodeOpenaiChatStreamInput,
): AsyncGenerator<string> {
  const head = `data: {"id":${JSON.stringify(input.id)},"object":"chat.completion.chunk","created":${JSON.stringify(input.created)},"model":${JSON.stringify(input.model)},"system_fingerprint":null,"choices":`;
  const usageTail = input.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const deltaFrame = (delta: string): string =>
    `${head}[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":null}]${usageTail}`;

  let started = false;
  let ended = false;
  let usage: Usage = EMPTY_USAGE;
  let charge: Charge | undefined;
  let pendingReasoning = '';
  /** Tool-call indexes whose arguments are still empty: they close as `{}`. */
  const emptyArguments = new Set<number>();

  try {
    for await (const event of input.events) {
      if (!started) {
        started = true;
        yield deltaFrame(ROLE_DELTA);
      }
      if (event.type === 'usage') {
        usage = event.usage;
        continue;
      }
      if (event.type === 'charge') {
        charge = event;
        continue;
      }
      if (ended) continue;
      switch (event.type) {
        case 'response-start':
          break;
        case 'text-delta':
          pendingReasoning = '';
          if (event.text !== '') yield deltaFrame(`{"content":${JSON.stringify(event.text)}}`);
          break;
        case 'reasoning-delta':
          pendingReasoning += event.text;
          if (event.text !== '') {
            yield deltaFrame(`{"reasoning_content":${JSON.stringify(event.text)}}`);
          }
          break;
        case 'reasoning-signature':
          yield deltaFrame(
            JSON.stringify({
              thinking_blocks: [
                { type: 'thinking', thinking: pendingReasoning, signature: event.signature },
              ],
            }),
          );
          pendingReasoning = '';
          break;
        case 'reasoning-redacted':
          pendingReasoning = '';
          yield deltaFrame(
            JSON.stringify({ thinking_blocks: [{ type: 'redacted_thinking', data: event.data }] }),
          );
          break;
        case 'tool-call-start': {
          pendingReasoning = '';
          emptyArguments.add(event.index);
          const call: Record<string, unknown> = { name: event.name, arguments: '' };
          if (event.signature !== undefined) call.thought_signature = event.signature;
          yield deltaFrame(
            JSON.stringify({
              tool_calls: [{ index: event.index, id: event.id, type: 'function', function: call }],
            }),
          );
          break;
        }
        case 'tool-call-delta':
          if (event.argumentsDelta === '') break;
          emptyArguments.delete(event.index);
          yield deltaFrame(
            JSON.stringify({
              tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }],
            }),
          );
          break;
        case 'response-end':
          ended = true;
          for (const index of emptyArguments) {
            yield deltaFrame(`{"tool_calls":[{"index":${index},"function":{"arguments":"{}"}}]}`);
          }
          yield `${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${encodeOpenaiFinishReason(event.finishReason)}"}]${usageTail}`;
          break;
      }
    }
    if (!ended) {
      throw new GatewayError(
        'GW_ERR_UPSTREAM_STREAM_ERROR',
        'The upstream stream ended before the answer was complete.',
      );
    }
  } catch (error) {
    if (!started) throw error;
    const gatewayError = toGatewayError(error);
    input.onError?.(gatewayError);
    yield `data: ${JSON.stringify({ error: encodeOpenaiErrorObject(gatewayError) })}\n\n`;
    return;
  }
  if (input.includeUsage) {
    yield `${head}[],"usage":${JSON.stringify(encodeOpenaiUsage(usage, charge))}}\n\n`;
  }
  yield DONE_FRAME;
}
