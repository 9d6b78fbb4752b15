import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { mapStreamWithMapper } from '../map-stream-with-mapper.ts';
import { createGeminiStreamMapper } from './create-gemini-stream-mapper.ts';

/**
 * `streamGenerateContent?alt=sse` → canonical events (the rules are on `createGeminiStreamMapper`).
 *
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function mapGeminiStream(messages: AsyncIterable<SseMessage>): AsyncGenerator<StreamEvent> {
  return mapStreamWithMapper(messages, createGeminiStreamMapper());
}
