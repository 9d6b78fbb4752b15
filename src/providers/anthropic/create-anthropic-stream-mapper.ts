import type { StreamEvent } from '../../canonical/stream-event.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Mutable } from '../../util/mutable.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { createTextDeltaTemplate } from '../create-text-delta-template.ts';
import type { StreamEventMapper } from '../provider-adapter.ts';
import { AnthropicStreamState } from './anthropic-stream-state.ts';
import { mapAnthropicStreamError } from './map-anthropic-stream-error.ts';

const NO_EVENTS: readonly StreamEvent[] = [];

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
 * The text deltas of a block, alike but for their text, are read without a full parse
 * (`createTextDeltaTemplate`): this runs once per chunk.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
export function createAnthropicStreamMapper(): StreamEventMapper {
  const state = new AnthropicStreamState();
  const template = createTextDeltaTemplate();
  // A plain property, not a getter (see `Mutable`).
  const mapper: Mutable<StreamEventMapper> = {
    complete: false,
    push(message) {
      const text = template.read(message.data);
      if (text !== undefined) return text === '' ? NO_EVENTS : [{ type: 'text-delta', text }];
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
          if (event?.type === 'text-delta' && type === payload.type) {
            const { index } = payload;
            template.learn(message.data, event.text, (probe, probeText) =>
              isTextDelta(probe, index, probeText),
            );
          }
          return single(event);
        }
        case 'content_block_start':
          return state.blockStart(payload);
        case 'content_block_stop':
          return single(state.blockStop(payload));
        case 'message_start':
          return state.messageStart(payload);
        case 'message_delta':
          return single(state.messageDelta(payload));
        case 'message_stop': {
          const events = state.messageStop();
          mapper.complete = true;
          return events;
        }
        case 'error': {
          const errorType = isRecord(payload.error) ? payload.error.type : undefined;
          throw mapAnthropicStreamError(
            typeof errorType === 'string' ? errorType : undefined,
            message.data,
          );
        }
        default:
          // `ping` and event types added after this adapter was written.
          return NO_EVENTS;
      }
    },
    end() {
      if (mapper.complete) return NO_EVENTS;
      throw new GatewayError(
        'GW_ERR_UPSTREAM_STREAM_ERROR',
        'The upstream stream ended before the answer was complete.',
      );
    },
  };
  return mapper;
}

/**
 * Whether `data` is a `text_delta` of block `index` carrying `text`: what `blockDelta` maps to one
 * text event and nothing else, as long as that block is open.
 */
function isTextDelta(data: string, index: unknown, text: string): boolean {
  const parsed = safeParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return false;
  const payload = parsed.value;
  return (
    payload.type === 'content_block_delta' &&
    payload.index === index &&
    isRecord(payload.delta) &&
    payload.delta.type === 'text_delta' &&
    payload.delta.text === text
  );
}

function single(event: StreamEvent | undefined): readonly StreamEvent[] {
  return event === undefined ? NO_EVENTS : [event];
}
