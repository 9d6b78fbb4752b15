import { type Readable, finished as whenFinished } from 'node:stream';
import type { StreamEvent } from '../canonical/stream-event.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { StreamEventMapper } from '../providers/provider-adapter.ts';
import { createSseDecoder } from '../sse/create-sse-decoder.ts';

/** Canonical events of one upstream answer; `return()` stops early and releases the body. */
export interface UpstreamEventStream extends AsyncIterableIterator<StreamEvent> {
  return(): Promise<IteratorResult<StreamEvent>>;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A 2xx streaming body → canonical events. Each body chunk is decoded and mapped synchronously as
 * it arrives (`data` events, as a pipe would read it), and the events wait in a queue until the
 * consumer asks: a chunk costs one promise however many layers it passes. The body is paused
 * while events wait unread, so a slow client slows the upstream down.
 *
 * A body read failure (reset, timeout, abort) is thrown as `readError` makes it, mapper failures
 * as they are, each after the events that came before it. Once the mapper saw the terminal
 * message the rest of the body is read and dropped, so it can end and its connection be reused.
 * `release` runs once, when the stream is over: past its last event or failure, or when the
 * consumer stops early. Like a generator, it expects one call at a time.
 */
export function readUpstreamEvents(options: {
  body: Readable;
  mapper: StreamEventMapper;
  readError: (error: unknown) => GatewayError;
  release: () => void;
}): UpstreamEventStream {
  const { body, mapper } = options;
  const decoder = createSseDecoder();
  /** Events mapped and not handed out yet: `queue[position]` is the next one. */
  const queue: StreamEvent[] = [];
  let position = 0;
  /** No more input is mapped: the stream ends once the queue is empty. */
  let inputOver = false;
  /** Thrown once the events before it are out. */
  let failure: { error: unknown } | undefined;
  /** `next()` returned the end or the failure, or `return()` was called. */
  let closed = false;
  let released = false;
  let waiting:
    | { resolve: (result: IteratorResult<StreamEvent>) => void; reject: (error: unknown) => void }
    | undefined;

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
      for (const event of mapper.push(message)) queue.push(event);
      if (mapper.complete) break;
    }
    if (chunk === undefined || mapper.complete) {
      inputOver = true;
      for (const event of mapper.end()) queue.push(event);
    }
  };

  /** The next result, or undefined when it has yet to arrive. Throws the stream's failure. */
  const take = (): IteratorResult<StreamEvent> | undefined => {
    const value = queue[position];
    if (value !== undefined) {
      position += 1;
      if (position === queue.length) {
        queue.length = 0;
        position = 0;
      }
      return { done: false, value };
    }
    if (!inputOver) return undefined;
    closed = true;
    release();
    if (failure !== undefined) throw failure.error;
    return DONE;
  };

  const answerWaiting = () => {
    const consumer = waiting;
    if (consumer === undefined) return;
    let result: IteratorResult<StreamEvent> | undefined;
    try {
      result = take();
    } catch (error) {
      waiting = undefined;
      consumer.reject(error);
      return;
    }
    if (result === undefined) return;
    waiting = undefined;
    consumer.resolve(result);
  };

  const onData = (chunk: unknown) => {
    if (inputOver || !(chunk instanceof Uint8Array || typeof chunk === 'string')) return;
    try {
      map(chunk);
    } catch (error) {
      failure = { error };
      inputOver = true;
    }
    if (inputOver) {
      body.off('data', onData);
      // Anything after the terminal message is read and dropped, so the body can end cleanly.
      if (failure === undefined) body.resume();
    } else if (waiting === undefined && position < queue.length) body.pause();
    answerWaiting();
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
        failure = { error: mapperError };
      }
    }
    inputOver = true;
    answerWaiting();
  });

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (closed) return Promise.resolve(DONE);
      let result: IteratorResult<StreamEvent> | undefined;
      try {
        result = take();
      } catch (error) {
        return Promise.reject(error);
      }
      if (result !== undefined) return Promise.resolve(result);
      if (body.isPaused()) body.resume();
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    async return() {
      closed = true;
      inputOver = true;
      queue.length = 0;
      position = 0;
      release();
      const consumer = waiting;
      waiting = undefined;
      consumer?.resolve(DONE);
      return DONE;
    },
  };
}
