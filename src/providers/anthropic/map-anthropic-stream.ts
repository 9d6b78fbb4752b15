import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { mapStreamWithMapper } from '../map-stream-with-mapper.ts';
import { createAnthropicStreamMapper } from './create-anthropic-stream-mapper.ts';

/**
 * Messages API stream → canonical events (the rules are on `createAnthropicStreamMapper`).
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
export function mapAnthropicStream(
  messages: AsyncIterable<SseMessage>,
): AsyncGenerator<StreamEvent> {
  return mapStreamWithMapper(messages, createAnthropicStreamMapper());
}
