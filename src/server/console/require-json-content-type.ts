import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The console scope's `onRequest` hook: a request with a body must declare it as JSON. The
 * gateway otherwise reads any body as JSON (`curl -d` on /v1), but here that would let a page on
 * another site post a `text/plain` form to `/login` or `/signup` — a simple request, without a
 * CORS preflight, whose cookie the browser keeps — and sign its visitor in to the attacker's
 * account (login CSRF). Forms cannot send `application/json`, and a cross-site fetch that does
 * needs a preflight, which the gateway never grants.
 */
export async function requireJsonContentType(request: FastifyRequest): Promise<void> {
  const { headers } = request;
  const hasBody =
    headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  if (!hasBody || JSON_MEDIA_TYPE.test(headers['content-type'] ?? '')) return;
  throw new GatewayError(
    'GW_ERR_UNSUPPORTED_MEDIA_TYPE',
    'The console API takes JSON bodies only: send them with `Content-Type: application/json`.',
  );
}
