import type { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { mapUpstreamStatus } from '../map-upstream-status.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { anthropicErrorBodySchema } from './anthropic-response-schemas.ts';

/** Upstream messages are short; a longer one is cut so an odd body cannot flood the client. */
const MAX_MESSAGE_LENGTH = 500;

/**
 * Maps a non-2xx Messages API answer (`{"type":"error","error":{"type","message"},"request_id"}`).
 * The HTTP status decides code and retryability (529 overloaded, 402 billing, 504 timeout, 413 too
 * large, ...); the body gives the message, with Anthropic's request id so an operator can quote it.
 *
 * @see https://docs.anthropic.com/en/api/errors
 */
export function mapAnthropicError(response: UpstreamErrorResponse): GatewayError {
  return mapUpstreamStatus({ response, message: errorMessage(response) });
}

function errorMessage(response: UpstreamErrorResponse): string {
  const generic = `The upstream provider answered with HTTP ${response.status}.`;
  const json = safeParseJson(response.body);
  if (!json.ok) return generic;
  const parsed = anthropicErrorBodySchema.safeParse(json.value);
  if (!parsed.success) return generic;
  const text = parsed.data.error.message?.trim() ?? '';
  const message = text === '' ? generic : text.slice(0, MAX_MESSAGE_LENGTH);
  const requestId = parsed.data.request_id;
  return requestId === undefined || requestId === null
    ? message
    : `${message} (upstream request id: ${requestId})`;
}
