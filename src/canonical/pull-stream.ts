/**
 * An async stream that can also be read without a promise per item. `takeNow()` hands over what
 * has already arrived; `whenReady()` waits, with one promise, until there is something to take.
 * Every stage of the streaming path (upstream events, meter, commit, surface encoder) is one, so
 * an upstream read goes through all of them synchronously once its one promise has resolved,
 * rather than costing a promise per stage and per event, and the writer can send everything one
 * read produced in a single socket write. `next()` keeps the ordinary iterator contract for every
 * other reader. Like a generator, a stream expects one call at a time.
 */
export interface PullStream<T> extends AsyncIterableIterator<T> {
  /**
   * The next result if it is there now, or undefined when it has yet to arrive. A failure is
   * thrown here, once, the way `next()` would reject; after the end or a failure: done.
   */
  takeNow(): IteratorResult<T> | undefined;
  /** Resolves once `takeNow()` has something to return (an item, the end or a failure). Never rejects. */
  whenReady(): Promise<void>;
  /** Stops early and releases the source (a value passed in is ignored, as by a generator that ends). */
  return(value?: unknown): Promise<IteratorResult<T>>;
}

/**
 * `[Symbol.asyncIterator]` of a stream that is its own iterator, one function for every stream.
 * Written as a method in each stream's literal instead (`[Symbol.asyncIterator]() { return
 * stream; }`), V8 names every new closure at run time under the computed key: a name string and a
 * property array per closure, about 170 bytes more per stream object and ten times the cost of
 * making it (docs/benchmarks.md, memory per open stream).
 */
export function iterateSelf<Stream>(this: Stream): Stream {
  return this;
}

export const DONE: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

export const READY: Promise<void> = Promise.resolve();

/** True for a stream that implements `takeNow` and `whenReady` (every stage of this codebase does). */
export function isPullStream<T>(
  source: AsyncIterable<T> | AsyncIterator<T>,
): source is PullStream<T> {
  return (
    'takeNow' in source &&
    typeof source.takeNow === 'function' &&
    'whenReady' in source &&
    typeof source.whenReady === 'function'
  );
}

/** `next()` in terms of `takeNow` and `whenReady`, for stages whose hot path is the pull side. */
export async function nextOfPullStream<T>(
  stream: Pick<PullStream<T>, 'takeNow' | 'whenReady'>,
): Promise<IteratorResult<T>> {
  for (;;) {
    const result = stream.takeNow();
    if (result !== undefined) return result;
    await stream.whenReady();
  }
}

/**
 * The stream itself when it already is a `PullStream`; otherwise a wrapper that reads the source
 * one `next()` ahead when asked to wait (async generators in tests, adapters without a
 * synchronous mapper).
 */
export function toPullStream<T>(source: AsyncIterable<T> | AsyncIterator<T>): PullStream<T> {
  if (isPullStream(source)) return source;
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source;
  let arrived: { result: IteratorResult<T> } | { error: unknown } | undefined;
  let reading: Promise<void> | undefined;
  let over = false;
  const stream: PullStream<T> = {
    [Symbol.asyncIterator]: iterateSelf,
    takeNow() {
      if (over) return DONE;
      const current = arrived;
      if (current === undefined) return undefined;
      arrived = undefined;
      if ('error' in current) {
        over = true;
        throw current.error;
      }
      if (current.result.done === true) over = true;
      return current.result;
    },
    whenReady() {
      if (over || arrived !== undefined) return READY;
      reading ??= iterator.next().then(
        (result) => {
          reading = undefined;
          arrived = { result };
        },
        (error: unknown) => {
          reading = undefined;
          arrived = { error };
        },
      );
      return reading;
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      if (over) return DONE;
      over = true;
      arrived = undefined;
      await iterator.return?.();
      return DONE;
    },
  };
  return stream;
}
