import {
  DONE,
  iterateSelf,
  nextOfPullStream,
  type PullStream,
  READY,
  toPullStream,
} from '../../canonical/pull-stream.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { type GatewayError, toGatewayError } from '../../errors/gateway-error.ts';
import {
  createOpenaiChatChunkEncoder,
  type OpenaiChatChunkEncoderInput,
} from './create-openai-chat-chunk-encoder.ts';
import { encodeOpenaiErrorObject } from './encode-openai-error.ts';

export interface EncodeOpenaiChatStreamInput extends OpenaiChatChunkEncoderInput {
  events: AsyncIterable<StreamEvent>;
  /** Told about a failure that was turned into an error frame (the stream itself ends quietly). */
  onError?: (error: GatewayError) => void;
}

/** SSE frames, one per result; `return()` stops early and closes the event source. */
export type OpenaiFrameStream = PullStream<string>;

/**
 * Canonical events → `chat.completion.chunk` SSE frames, exactly as OpenAI streams them: a role
 * chunk, content chunks, a finish chunk with `delta: {}`, the usage chunk when asked, `[DONE]`
 * (the frames themselves come from `createOpenaiChatChunkEncoder`).
 *
 * Nothing is produced before the first event, so a failure before it is rethrown and can still
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
 * A `PullStream` over the event stream: events are encoded as `takeNow` pulls them, so a frame
 * costs no promise of its own (this runs once per token). Like a generator, it expects one call at
 * a time.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function encodeOpenaiChatStream(input: EncodeOpenaiChatStreamInput): OpenaiFrameStream {
  const encoder = createOpenaiChatChunkEncoder(input);
  const source = toPullStream(input.events);
  /** Frames encoded and not yet handed out: `frames[position]` is the next one. */
  const frames: string[] = [];
  let position = 0;
  /** The source is done (ended, failed or closed): only queued frames remain. */
  let finished = false;

  const take = (): IteratorResult<string> => {
    // Most events give one frame: `pop` empties the queue without resizing it.
    const value = position === frames.length - 1 ? frames.pop() : frames[position];
    if (value === undefined) return DONE;
    position += 1;
    if (position >= frames.length) {
      if (frames.length > 0) frames.length = 0;
      position = 0;
    }
    return { done: false, value };
  };

  /** After a frame went out a failure is an error frame and the end; before it, it is thrown. */
  const onFailure = (error: unknown): void => {
    finished = true;
    if (!encoder.started) throw error;
    const gatewayError = toGatewayError(error);
    input.onError?.(gatewayError);
    frames.push(`data: ${JSON.stringify({ error: encodeOpenaiErrorObject(gatewayError) })}\n\n`);
  };

  const stream: OpenaiFrameStream = {
    [Symbol.asyncIterator]: iterateSelf,
    takeNow() {
      // Events without a frame of their own (usage, charge, the start) are read past.
      while (position === frames.length && !finished) {
        try {
          const result = source.takeNow();
          if (result === undefined) return undefined;
          if (result.done === true) {
            finished = true;
            encoder.finish(frames);
          } else encoder.encode(result.value, frames);
        } catch (error) {
          onFailure(error);
        }
      }
      return take();
    },
    whenReady() {
      if (position < frames.length || finished) return READY;
      return source.whenReady();
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      frames.length = 0;
      position = 0;
      if (finished) return DONE;
      finished = true;
      await source.return();
      return DONE;
    },
  };
  return stream;
}
