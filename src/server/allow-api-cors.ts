import type { FastifyReply, FastifyRequest } from 'fastify';

/** Response headers a browser app may read: the request id the SDKs report, and what served it. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-shepherd-model',
  'x-shepherd-provider',
  'x-shepherd-attempts',
  'x-shepherd-fallback',
  'x-shepherd-cost',
  'x-shepherd-balance',
  'x-shepherd-currency',
  'retry-after',
].join(', ');

const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/** Chromium's ceiling for caching a preflight (Firefox allows a day). */
const PREFLIGHT_MAX_AGE_SECONDS = '7200';

/**
 * Lets browser apps on any origin call `/v1`, as OpenAI and OpenRouter do (`*`): the API key is a
 * bearer header and `/v1` reads no cookie, so no origin gains anything another could not, and
 * `*` never admits credentials. A preflight is answered 204 before authentication (browsers send
 * it without the key), allowing whatever headers it names: the openai SDK adds `x-stainless-*`
 * ones, and `Authorization` is never covered by a `*` there. Requests without `Origin` (servers,
 * curl, the SDKs outside a browser) get no CORS headers. The console API, on cookie sessions, is
 * left out (test plan F10). The headers go on the raw response, so the hijacked SSE replies and
 * error replies carry them too.
 *
 * Called from the app's first onRequest hook (one hook less per request than a hook of its own);
 * returns true when it answered a preflight, and the request goes no further.
 */
export function answerApiCors(request: FastifyRequest, reply: FastifyReply): boolean {
  const { origin } = request.headers;
  if (origin === undefined || !isApiPath(request.url)) return false;
  reply.raw.setHeader('access-control-allow-origin', '*');
  const preflightMethod = request.headers['access-control-request-method'];
  if (request.method !== 'OPTIONS' || preflightMethod === undefined) {
    reply.raw.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    return false;
  }
  reply.raw.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  const requestedHeaders = request.headers['access-control-request-headers'];
  if (requestedHeaders !== undefined && requestedHeaders !== '') {
    reply.raw.setHeader('access-control-allow-headers', requestedHeaders);
  }
  reply.raw.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
  // Answered here: no route serves OPTIONS, and the key check after this would refuse it.
  void reply.code(204).send();
  return true;
}

function isApiPath(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/v1?');
}
