import type { StreamEvent } from '../../canonical/stream-event.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { AnthropicStreamState } from './anthropic-stream-state.ts';
import { mapAnthropicStreamError } from './map-anthropic-stream-error.ts';

/**
 * Maps a Messages API stream to canonical events: `message_start` gives `response-start` and a
 * first usage snapshot, content blocks give text, reasoning and tool-call events (tool calls
 * numbered 0..n among tool blocks only), each `message_delta` with usage gives the cumulative
 * snapshot, and `message_stop` gives the final usage and `response-end`.
 *
 * The payload's `type` decides the event (some compatible servers send no `event:` line). `ping`
 * and unknown types are skipped. An `error` event is thrown as the matching `GatewayError`, a
 * payload that is not a JSON object as `GW_ERR_UPSTREAM_BAD_RESPONSE`, and an end of input before
 * `message_stop` as `GW_ERR_UPSTREAM_STREAM_ERROR`.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
export async function* mapAnthropicStream(
  messages: AsyncIterable<SseMessage>,
): AsyncGenerator<StreamEvent> {
  const state = new AnthropicStreamState();
  for await (const message of messages) {
    const parsed = safeParseJson(message.data);
    if (!parsed.ok || !isRecord(parsed.value)) {
      throw new GatewayError(
        'GW_ERR_UPSTREAM_BAD_RESPONSE',
        'The upstream provider sent a stream event that is not a JSON object.',
        { cause: parsed.ok ? undefined : parsed.error },
      );
    }
    const payload = parsed.value;
    const type = typeof payload.type === 'string' ? payload.type : message.event;
    switch (type) {
      case 'content_block_delta': {
        const event = state.blockDelta(payload);
        if (event !== undefined) yield event;
        break;
      }
      case 'content_block_start':
        yield* state.blockStart(payload);
        break;
      case 'content_block_stop': {
        const event = state.blockStop(payload);
        if (event !== undefined) yield event;
        break;
      }
      case 'message_start':
        yield* state.messageStart(payload);
        break;
      case 'message_delta': {
        const event = state.messageDelta(payload);
        if (event !== undefined) yield event;
        break;
      }
      case 'message_stop':
        yield* state.messageStop();
        return;
      case 'error': {
        const errorType = isRecord(payload.error) ? payload.error.type : undefined;
        throw mapAnthropicStreamError(
          typeof errorType === 'string' ? errorType : undefined,
          message.data,
        );
      }
      default:
        // `ping` and event types added after this adapter was written.
        break;
    }
  }
  throw new GatewayError(
    'GW_ERR_UPSTREAM_STREAM_ERROR',
    'The upstream stream ended before the answer was complete.',
  );
}
