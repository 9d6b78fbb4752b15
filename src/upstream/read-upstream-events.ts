import { type Readable, finished as whenFinished } from 'node:stream';
import {
  DONE,
  iterateSelf,
  nextOfPullStream,
  type PullStream,
  READY,
} from '../canonical/pull-stream.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { StreamEventMapper } from '../providers/provider-adapter.ts';
import { createSseDecoder } from '../sse/create-sse-decoder.ts';
import { addProcessingTime, type ProcessingTime } from '../util/processing-time.ts';

/** Canonical events of one upstream answer; `return()` stops early and releases the body. */
export type UpstreamEventStream = PullStream<StreamEvent>;

/**
 * A 2xx streaming body → canonical events. Each body chunk is decoded and mapped synchronously as
 * it arrives (`data` events, as a pipe would read it), and the events wait in a queue until the
 * consumer takes them (`takeNow`); a consumer waiting in `whenReady` is woken once per chunk,
 * however many events the chunk gave. The body is paused while events wait and nobody is coming
 * for them, so a slow client slows the upstream down.
 *
 * A body read failure (reset, timeout, abort) is thrown as `readError` makes it, a mapper failure
 * as `mapperError` makes it, each after the events that came before it. Once the mapper saw the terminal
 * message the rest of the body is read and dropped, so it can end and its connection be reused.
 * `release` runs once, when the stream is over: past its last event or failure, or when the
 * consumer stops early. Like a generator, it expects one call at a time.
 */
export function readUpstreamEvents(options: {
  body: Readable;
  mapper: StreamEventMapper;
  readError: (error: unknown) => GatewayError;
  /** Makes a mapper failure into the error thrown (the upstream client redacts the provider key). */
  mapperError: (error: unknown) => unknown;
  release: () => void;
  /** Gets the time each read's decoding and mapping took. */
  processingTime?: ProcessingTime;
  /**
   * The call's idle limit, counted between reads that gave events: bytes that give none (SSE
   * comments such as `: keep-alive`, pings) keep the connection's own byte timeout alive but not
   * this one (test plan B13). Checked when such a read arrives; `error` is what the stream fails
   * with then.
   */
  idle?: { ms: number; error: () => GatewayError };
}): UpstreamEventStream {
  const { body, mapper, processingTime, idle } = options;
  /** When the last read that gave events arrived (`performance.now()`). */
  let lastEventsAt = performance.now();
  const decoder = createSseDecoder();
  /**
   * Events mapped and not handed out yet: `queue[position]` up to `queue[count - 1]`. Taken slots
   * are cleared and both indexes go back to 0 once it is empty; the array itself never shrinks, so
   * the usual one event per chunk costs no allocation here.
   */
  const queue: Array<StreamEvent | undefined> = [];
  let position = 0;
  let count = 0;
  const enqueue = (event: StreamEvent) => {
    queue[count] = event;
    count += 1;
  };
  /** No more input is mapped: the stream ends once the queue is empty. */
  let inputOver = false;
  /** Thrown once the events before it are out. */
  let failure: { error: unknown } | undefined;
  /** The end or the failure was taken, or `return()` was called. */
  let closed = false;
  let released = false;
  /** Resolves the promise a consumer waits on in `whenReady`. */
  let wake: (() => void) | undefined;
  let ready: Promise<void> | undefined;
  /** A consumer was woken and has not taken anything yet: it is on its way, so no pause. */
  let woken = false;

  const release = () => {
    if (released) return;
    released = true;
    body.off('data', onData);
    options.release();
  };

  /** Maps one chunk (or the end of input) into the queue; mapper failures are thrown. */
  const map = (chunk: Uint8Array | string | undefined) => {
    const messages = chunk === undefined ? decoder.end() : decoder.push(chunk);
    for (const message of messages) {
      for (const event of mapper.push(message)) enqueue(event);
      if (mapper.complete) break;
    }
    if (chunk === undefined || mapper.complete) {
      inputOver = true;
      for (const event of mapper.end()) enqueue(event);
    }
  };

  /** The next result, or undefined when it has yet to arrive. Throws the stream's failure. */
  const take = (): IteratorResult<StreamEvent> | undefined => {
    woken = false;
    if (closed) return DONE;
    if (position < count) {
      const value = queue[position];
      queue[position] = undefined;
      position += 1;
      if (position === count) {
        position = 0;
        count = 0;
      }
      if (value !== undefined) return { done: false, value };
    }
    if (!inputOver) return undefined;
    closed = true;
    release();
    if (failure !== undefined) throw failure.error;
    return DONE;
  };

  const wakeConsumer = () => {
    const resolve = wake;
    if (resolve === undefined || (position === count && !inputOver)) return;
    wake = undefined;
    ready = undefined;
    woken = true;
    resolve();
  };

  const onData = (chunk: unknown) => {
    if (inputOver || !(chunk instanceof Uint8Array || typeof chunk === 'string')) return;
    const startedAt = processingTime === undefined && idle === undefined ? 0 : performance.now();
    const queued = count;
    try {
      map(chunk);
    } catch (error) {
      failure = { error: options.mapperError(error) };
      inputOver = true;
    }
    if (count > queued || inputOver) lastEventsAt = startedAt;
    else if (idle !== undefined && startedAt - lastEventsAt > idle.ms) {
      failure = { error: idle.error() };
      inputOver = true;
    }
    if (processingTime !== undefined) addProcessingTime(processingTime, startedAt);
    if (inputOver) {
      body.off('data', onData);
      // Anything after the terminal message is read and dropped, so the body can end cleanly.
      if (failure === undefined) body.resume();
    } else if (wake === undefined && !woken && position < count) body.pause();
    wakeConsumer();
  };

  body.on('data', onData);
  // Stays attached after release: it also takes the error a body destroyed before its end emits.
  whenFinished(body, { writable: false }, (error) => {
    if (inputOver) return;
    if (error !== undefined && error !== null) failure = { error: options.readError(error) };
    else {
      try {
        map(undefined);
      } catch (mapperError) {
        failure = { error: options.mapperError(mapperError) };
      }
    }
    inputOver = true;
    wakeConsumer();
  });

  const stream: UpstreamEventStream = {
    [Symbol.asyncIterator]: iterateSelf,
    takeNow: take,
    whenReady() {
      if (closed || inputOver || position < count) return READY;
      if (body.isPaused()) body.resume();
      ready ??= new Promise((resolve) => {
        wake = resolve;
      });
      return ready;
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      closed = true;
      inputOver = true;
      queue.length = 0;
      position = 0;
      count = 0;
      release();
      wakeConsumer();
      return DONE;
    },
  };
  return stream;
}
