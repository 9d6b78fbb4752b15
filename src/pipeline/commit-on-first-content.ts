import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Reads a stream until its first content event (or its end) and only then hands it over. A failure
 * before that point rejects the returned promise, so the client can still get a real HTTP error
 * (or, later, a retry or fallback) instead of a half-open 200 stream. Events read ahead are
 * replayed first; closing the returned stream early closes the source.
 *
 * After the replay, `next` is the source's own: no extra hop per event.
 */
export async function commitOnFirstContent(
  events: AsyncIterable<StreamEvent>,
): Promise<AsyncIterableIterator<StreamEvent>> {
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

function replay(
  buffered: StreamEvent[],
  ended: boolean,
  iterator: AsyncIterator<StreamEvent>,
): AsyncIterableIterator<StreamEvent> {
  let position = 0;
  /** Ended during the read-ahead, or closed by the consumer: the source is not touched again. */
  let finished = ended;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const value = buffered[position];
      if (value !== undefined) {
        position += 1;
        return Promise.resolve({ done: false, value });
      }
      if (finished) return Promise.resolve(DONE);
      return iterator.next();
    },
    async return() {
      position = buffered.length;
      if (finished) return DONE;
      finished = true;
      await iterator.return?.();
      return DONE;
    },
  };
}
