import type { StreamEvent } from '../../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isPlainText } from '../../util/json-string-literal.ts';
import type { Mutable } from '../../util/mutable.ts';
import { encodeOpenaiFinishReason } from './encode-openai-finish-reason.ts';
import { type Charge, encodeOpenaiUsageJson } from './encode-openai-usage.ts';

export interface OpenaiChatChunkEncoderInput {
  /** The gateway's completion id (`chatcmpl-…`), the same on every chunk. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The public model id the client asked for. */
  model: string;
  /** `stream_options.include_usage`: add the `choices: []` usage chunk and `"usage": null` elsewhere. */
  includeUsage: boolean;
}

/** One stream's `chat.completion.chunk` frames, built synchronously, event by event. */
export interface OpenaiChatChunkEncoder {
  /** Appends the frames one event gives (one for a delta, none for usage, several at the end). */
  encode(event: StreamEvent, frames: string[]): void;
  /**
   * Appends the frames after the last event: the usage chunk when asked, then `[DONE]`. Throws
   * `GW_ERR_UPSTREAM_STREAM_ERROR` when no `response-end` came (a cut stream).
   */
  finish(frames: string[]): void;
  /** A frame was produced: from here on a failure is an error frame, not an HTTP error. */
  readonly started: boolean;
}

const ROLE_DELTA = '{"role":"assistant","content":""}';
const DONE_FRAME = 'data: [DONE]\n\n';
/** Longer texts go to `JSON.stringify` without a scan: it would cost about as much. */
const MAX_PLAIN_SCAN = 64;

/**
 * Canonical events → `chat.completion.chunk` SSE frames, exactly as OpenAI streams them: a role
 * chunk (with the first event), content chunks, a finish chunk with `delta: {}`, then the usage
 * chunk when asked and `[DONE]` (`finish`). Events after `response-end` only update usage and the
 * charge. The extension fields are listed on `encodeOpenaiChatStream`.
 *
 * Every frame is a per-stream prefix, the delta, and a per-stream suffix: the hot path (a text
 * delta) is two concatenations, with the text itself when it needs no escape (nearly every token),
 * else its `JSON.stringify`.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function createOpenaiChatChunkEncoder(
  input: OpenaiChatChunkEncoderInput,
): OpenaiChatChunkEncoder {
  const head = `data: {"id":${JSON.stringify(input.id)},"object":"chat.completion.chunk","created":${JSON.stringify(input.created)},"model":${JSON.stringify(input.model)},"system_fingerprint":null,"choices":`;
  const usageTail = input.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const deltaHead = `${head}[{"index":0,"delta":`;
  const deltaTail = `,"logprobs":null,"finish_reason":null}]${usageTail}`;
  const contentHead = `${deltaHead}{"content":`;
  const reasoningHead = `${deltaHead}{"reasoning_content":`;
  const textTail = `}${deltaTail}`;
  // The same frames with the text's quotes already in place, for a text that needs no escape.
  const quotedContentHead = `${contentHead}"`;
  const quotedReasoningHead = `${reasoningHead}"`;
  const quotedTextTail = `"${textTail}`;
  const deltaFrame = (delta: string): string => deltaHead + delta + deltaTail;
  /** A text delta's frame: two concatenations, and no serializer call for a plain token. */
  const textFrame = (text: string, unquotedHead: string, quotedHead: string): string =>
    text.length <= MAX_PLAIN_SCAN && isPlainText(text, 0, text.length)
      ? quotedHead + text + quotedTextTail
      : unquotedHead + JSON.stringify(text) + textTail;

  let ended = false;
  let usage: Usage = EMPTY_USAGE;
  let charge: Charge | undefined;
  let pendingReasoning = '';
  /** Tool-call indexes whose arguments are still empty: they close as `{}`. */
  const emptyArguments = new Set<number>();

  // A plain property, not a getter (see `Mutable`).
  const encoder: Mutable<OpenaiChatChunkEncoder> = {
    started: false,
    encode(event, frames) {
      if (!encoder.started) {
        encoder.started = true;
        frames.push(deltaFrame(ROLE_DELTA));
      }
      if (event.type === 'usage') {
        usage = event.usage;
        return;
      }
      if (event.type === 'charge') {
        charge = event;
        return;
      }
      if (ended) return;
      switch (event.type) {
        case 'response-start':
          break;
        case 'text-delta':
          pendingReasoning = '';
          if (event.text !== '') frames.push(textFrame(event.text, contentHead, quotedContentHead));
          break;
        case 'refusal-delta':
          pendingReasoning = '';
          if (event.text !== '') frames.push(deltaFrame(JSON.stringify({ refusal: event.text })));
          break;
        case 'reasoning-delta':
          pendingReasoning += event.text;
          if (event.text !== '')
            frames.push(textFrame(event.text, reasoningHead, quotedReasoningHead));
          break;
        case 'reasoning-signature':
          frames.push(
            deltaFrame(
              JSON.stringify({
                thinking_blocks: [
                  { type: 'thinking', thinking: pendingReasoning, signature: event.signature },
                ],
              }),
            ),
          );
          pendingReasoning = '';
          break;
        case 'reasoning-redacted':
          pendingReasoning = '';
          frames.push(
            deltaFrame(
              JSON.stringify({
                thinking_blocks: [{ type: 'redacted_thinking', data: event.data }],
              }),
            ),
          );
          break;
        case 'tool-call-start': {
          pendingReasoning = '';
          emptyArguments.add(event.index);
          const call: Record<string, unknown> = { name: event.name, arguments: '' };
          if (event.signature !== undefined) call.thought_signature = event.signature;
          frames.push(
            deltaFrame(
              JSON.stringify({
                tool_calls: [
                  { index: event.index, id: event.id, type: 'function', function: call },
                ],
              }),
            ),
          );
          break;
        }
        case 'tool-call-delta':
          if (event.argumentsDelta === '') break;
          emptyArguments.delete(event.index);
          frames.push(
            deltaFrame(
              JSON.stringify({
                tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }],
              }),
            ),
          );
          break;
        case 'response-end':
          ended = true;
          for (const index of emptyArguments) {
            frames.push(
              deltaFrame(`{"tool_calls":[{"index":${index},"function":{"arguments":"{}"}}]}`),
            );
          }
          frames.push(
            `${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${encodeOpenaiFinishReason(event.finishReason)}"}]${usageTail}`,
          );
          break;
      }
    },
    finish(frames) {
      if (!ended) {
        throw new GatewayError(
          'GW_ERR_UPSTREAM_STREAM_ERROR',
          'The upstream stream ended before the answer was complete.',
        );
      }
      if (input.includeUsage) {
        frames.push(`${head}[],"usage":${encodeOpenaiUsageJson(usage, charge)}}\n\n`);
      }
      frames.push(DONE_FRAME);
    },
  };
  return encoder;
}
