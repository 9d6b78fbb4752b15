import type { GatewayError } from '../../errors/gateway-error.ts';
import { mapAnthropicError } from './map-anthropic-error.ts';

/** The HTTP status Anthropic documents for each error type. */
const STATUS_BY_ERROR_TYPE: ReadonlyMap<string, number> = new Map([
  ['invalid_request_error', 400],
  ['authentication_error', 401],
  ['billing_error', 402],
  ['permission_error', 403],
  ['not_found_error', 404],
  ['request_too_large', 413],
  ['rate_limit_error', 429],
  ['api_error', 500],
  ['timeout_error', 504],
  ['overloaded_error', 529],
]);

/**
 * Maps an `error` event that arrived inside a 2xx stream. The HTTP status was already 200, so the
 * error is classified by the status Anthropic documents for its type (an unknown type counts as a
 * server error), and the result is the same error a non-streamed failure of that type gives.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming#error-events
 */
export function mapAnthropicStreamError(errorType: string | undefined, data: string): GatewayError {
  const status = (errorType === undefined ? undefined : STATUS_BY_ERROR_TYPE.get(errorType)) ?? 500;
  return mapAnthropicError({ status, headers: {}, body: data });
}
