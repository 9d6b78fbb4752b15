import {
  DONE,
  iterateSelf,
  nextOfPullStream,
  type PullStream,
  READY,
  toPullStream,
} from '../canonical/pull-stream.ts';
import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';

/**
 * Reads a stream until its first content event (or its end) and only then hands it over. A failure
 * before that point rejects the returned promise, so the client can still get a real HTTP error
 * (or, later, a retry or fallback) instead of a half-open 200 stream. Events read ahead are
 * replayed first; closing the returned stream early closes the source.
 *
 * After the replay, `takeNow` and `whenReady` are the source's own: nothing added per event.
 */
export async function commitOnFirstContent(
  events: AsyncIterable<StreamEvent>,
): Promise<PullStream<StreamEvent>> {
  const source = toPullStream(events);
  const buffered: StreamEvent[] = [];
  let ended = false;
  for (;;) {
    const next = source.takeNow();
    if (next === undefined) {
      await source.whenReady();
      continue;
    }
    if (next.done === true) {
      ended = true;
      break;
    }
    buffered.push(next.value);
    if (isContentEvent(next.value) || next.value.type === 'response-end') break;
  }
  return replay(buffered, ended, source);
}

function replay(
  buffered: StreamEvent[],
  ended: boolean,
  source: PullStream<StreamEvent>,
): PullStream<StreamEvent> {
  let position = 0;
  /** Ended during the read-ahead, or closed by the consumer: the source is not touched again. */
  let finished = ended;
  const stream: PullStream<StreamEvent> = {
    [Symbol.asyncIterator]: iterateSelf,
    takeNow() {
      const value = buffered[position];
      if (value !== undefined) {
        position += 1;
        return { done: false, value };
      }
      if (finished) return DONE;
      return source.takeNow();
    },
    whenReady() {
      if (position < buffered.length || finished) return READY;
      return source.whenReady();
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      position = buffered.length;
      if (finished) return DONE;
      finished = true;
      await source.return();
      return DONE;
    },
  };
  return stream;
}
