import type { ServerResponse } from 'node:http';
import { toPullStream } from '../canonical/pull-stream.ts';
import { addProcessingTime, type ProcessingTime } from '../util/processing-time.ts';

/** The response headers of every event stream the gateway sends. */
export const SSE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Writes SSE frames to a raw response with backpressure: waits for `drain` when the socket buffer is
 * full, and stops (closing the frame source, which aborts the upstream) as soon as the client goes.
 * The first frame must already be in hand, so headers are normally only sent once the stream is
 * committed; after keep-alives they were sent earlier and `headers` is then ignored.
 *
 * Every frame that is ready at once (all that one upstream read gave) goes out in one write: one
 * chunk on the wire and one socket write, not one per frame.
 */
export async function writeSseStream(options: {
  response: ServerResponse;
  headers: Record<string, string>;
  firstFrame: string;
  frames: AsyncIterator<string>;
  /** Gets the time each turn spends taking, encoding and writing what one read gave. */
  processingTime?: ProcessingTime;
}): Promise<void> {
  const { response, processingTime } = options;
  const frames = toPullStream(options.frames);
  if (!response.headersSent) {
    // Object.assign, not `{ ...a, ...b }`: see docs/decisions/0007.
    response.writeHead(200, Object.assign({}, SSE_RESPONSE_HEADERS, options.headers));
  }
  let finished = false;
  try {
    let text = options.firstFrame;
    while (!response.destroyed) {
      const startedAt = processingTime === undefined ? 0 : performance.now();
      let next = frames.takeNow();
      while (next !== undefined && next.done !== true) {
        text += next.value;
        next = frames.takeNow();
      }
      let written = true;
      if (text !== '') {
        written = response.write(text);
        text = '';
      }
      if (processingTime !== undefined) addProcessingTime(processingTime, startedAt);
      if (!written) await drainOrClose(response);
      if (next === undefined) await frames.whenReady();
      else {
        finished = true;
        break;
      }
    }
  } finally {
    if (!finished) await frames.return();
    if (!response.destroyed) response.end();
  }
}

/**
 * Waits for the socket buffer to drain or the response to close, whichever comes first, and then
 * removes all three listeners: `Promise.race` over two `events.once` would leave the loser's
 * listeners behind on every wait of a long stream.
 */
function drainOrClose(response: ServerResponse): Promise<void> {
  if (response.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = () => {
      response.off('drain', onDrainOrClose);
      response.off('close', onDrainOrClose);
      response.off('error', onError);
    };
    const onDrainOrClose = () => {
      stop();
      resolve();
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    response.on('drain', onDrainOrClose);
    response.on('close', onDrainOrClose);
    response.on('error', onError);
  });
}
