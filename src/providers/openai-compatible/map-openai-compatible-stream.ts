import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { mapStreamWithMapper } from '../map-stream-with-mapper.ts';
import { createOpenAICompatibleStreamMapper } from './create-openai-compatible-stream-mapper.ts';

/**
 * Chat completion chunks → canonical events (the rules are on `createOpenAICompatibleStreamMapper`).
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function mapOpenAICompatibleStream(
  messages: AsyncIterable<SseMessage>,
): AsyncGenerator<StreamEvent> {
  return mapStreamWithMapper(messages, createOpenAICompatibleStreamMapper());
}
