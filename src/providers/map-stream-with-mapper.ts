import type { StreamEvent } from '../canonical/stream-event.ts';
import type { SseMessage } from '../sse/sse-message.ts';
import type { StreamEventMapper } from './provider-adapter.ts';

/**
 * Runs a synchronous `StreamEventMapper` over an async stream of SSE messages: the body of every
 * adapter's `mapStream`. Stops reading (closing the source) once the mapper saw the terminal
 * message, then yields its closing events.
 */
export async function* mapStreamWithMapper(
  messages: AsyncIterable<SseMessage>,
  mapper: StreamEventMapper,
): AsyncGenerator<StreamEvent> {
  for await (const message of messages) {
    yield* mapper.push(message);
    if (mapper.complete) break;
  }
  yield* mapper.end();
}
