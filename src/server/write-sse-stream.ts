import type { ServerResponse } from 'node:http';

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
 */
export async function writeSseStream(options: {
  response: ServerResponse;
  headers: Record<string, string>;
  firstFrame: string;
  frames: AsyncIterator<string>;
}): Promise<void> {
  const { response, frames } = options;
  if (!response.headersSent) {
    response.writeHead(200, { ...SSE_RESPONSE_HEADERS, ...options.headers });
  }
  let finished = false;
  try {
    if (!response.write(options.firstFrame)) await drainOrClose(response);
    while (!response.destroyed) {
      const next = await frames.next();
      if (next.done === true) {
        finished = true;
        break;
      }
      if (!response.write(next.value)) await drainOrClose(response);
    }
  } finally {
    if (!finished) await frames.return?.();
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
