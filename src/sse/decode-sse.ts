import { createSseDecoder } from './create-sse-decoder.ts';
import type { SseMessage } from './sse-message.ts';

/**
 * Decodes a byte stream into SSE messages (see `createSseDecoder` for the rules). For callers that
 * hold an async iterable of chunks; the upstream client drives `createSseDecoder` itself, inside
 * its one read loop.
 */
export async function* decodeSse(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseMessage> {
  const decoder = createSseDecoder();
  for await (const chunk of chunks) {
    for (const message of decoder.push(chunk)) yield message;
  }
  yield* decoder.end();
}
