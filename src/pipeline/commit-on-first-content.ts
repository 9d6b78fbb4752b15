import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';

/**
 * Reads a stream until its first content event (or its end) and only then hands it over. A failure
 * before that point rejects the returned promise, so the client can still get a real HTTP error
 * (or, later, a retry or fallback) instead of a half-open 200 stream. Events read ahead are
 * replayed first; closing the returned stream early closes the source.
 */
export async function commitOnFirstContent(
  events: AsyncIterable<StreamEvent>,
): Promise<AsyncIterable<StreamEvent>> {
  const iterator = events[Symbol.asyncIterator]();
  const buffered: StreamEvent[] = [];
  let ended = false;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    buffered.push(next.value);
    if (isContentEvent(next.value) || next.value.type === 'response-end') break;
  }
  return replay(buffered, ended, iterator);
}

async function* replay(
  buffered: StreamEvent[],
  ended: boolean,
  iterator: AsyncIterator<StreamEvent>,
): AsyncGenerator<StreamEvent> {
  let finished = ended;
  try {
    yield* buffered;
    while (!finished) {
      const next = await iterator.next();
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
