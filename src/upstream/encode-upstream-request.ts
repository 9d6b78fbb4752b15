import type { UpstreamHttpRequest } from '../providers/provider-adapter.ts';

/** An adapter's request with its body already UTF-8 bytes: what `UpstreamClient` sends. */
export interface EncodedUpstreamRequest extends Omit<UpstreamHttpRequest, 'body'> {
  body: Uint8Array;
}

/**
 * Encodes the body once, when the call is prepared. Given text, undici copies it into a Buffer of
 * its own and keeps both, the text and the copy, until the answer ends, while the pipeline keeps
 * the prepared call for the whole request too: every request in flight held its upstream body
 * twice, a long prompt included, for as long as its stream stayed open. Given these bytes, undici
 * sends and keeps the same object (docs/benchmarks.md, memory per open stream), and a large body
 * is not kept at all (`sendableBody`). The copy is the one undici would have made.
 */
export function encodeUpstreamRequest(request: UpstreamHttpRequest): EncodedUpstreamRequest {
  return {
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: Buffer.from(request.body),
    stream: request.stream,
  };
}
