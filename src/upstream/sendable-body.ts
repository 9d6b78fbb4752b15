import type { EncodedUpstreamRequest } from './encode-upstream-request.ts';

/**
 * From this size on, a request body is handed to undici as a one-shot iterable (below). Smaller
 * bodies go as they are: undici writes a Buffer with the headers in one socket write and
 * without the iterable path's extra promise hops, and keeping a few KiB per call costs little.
 */
export const ONE_SHOT_BODY_MIN_BYTES = 16 * 1024;

/** What undici is given to send: the request's headers and its body. */
export interface SendableBody {
  headers: Record<string, string>;
  body: Uint8Array | Iterable<Uint8Array>;
}

/**
 * The body as undici should be given it. undici keeps a Buffer body (and its request object
 * keeps it) until the answer has ended, so every open stream would hold its whole prompt, tens to
 * hundreds of KiB for a long conversation, for as long as the answer streams. A large body goes
 * instead as an iterable that yields the bytes once and then lets go of them, with its length in
 * `content-length` (an iterable has none undici could read, and it would otherwise send the body
 * chunked). Nothing retries a sent body: a retry or fallback prepares its call again.
 */
export function sendableBody(request: EncodedUpstreamRequest): SendableBody {
  const { body, headers } = request;
  if (body.byteLength < ONE_SHOT_BODY_MIN_BYTES) return { headers, body };
  return {
    headers: Object.assign({}, headers, { 'content-length': String(body.byteLength) }),
    body: oneShotIterable(body),
  };
}

/** Yields `bytes` once; from then on holds no reference to them. */
export function oneShotIterable(bytes: Uint8Array): Iterable<Uint8Array> {
  let pending: Uint8Array | undefined = bytes;
  const iterator: Iterator<Uint8Array, undefined> = {
    next() {
      const value = pending;
      pending = undefined;
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
  };
  return { [Symbol.iterator]: () => iterator };
}
