import type { ErrorReplyOptions, HttpReply } from '../response-plan.ts';
import { simulatedId } from '../simulated-id.ts';

const SUFFIX = ' (Shepherd provider simulator)';

const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource'],
  404: ['not_found_error', 'The requested resource could not be found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes'],
  429: ['rate_limit_error', 'Number of requests has exceeded your per-minute rate limit'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out'],
  529: ['overloaded_error', 'Overloaded'],
};

export function anthropicRequestId(sequence: number): string {
  return `req_${simulatedId(sequence)}`;
}

/** The error object Anthropic sends, as a body or inside a stream's `event: error`. */
export function anthropicErrorBody(
  status: number,
  sequence: number,
  message?: string,
): Record<string, unknown> {
  const [type, defaultMessage] = ERRORS[status] ?? [
    status >= 500 ? 'api_error' : 'invalid_request_error',
    'Request failed',
  ];
  return {
    type: 'error',
    error: { type, message: (message ?? defaultMessage) + SUFFIX },
    request_id: anthropicRequestId(sequence),
  };
}

/**
 * An error answer in Anthropic's format; 429 announces `retry-after` (default 1 s).
 * @see https://docs.anthropic.com/en/api/errors
 */
export function anthropicErrorReply(status: number, options: ErrorReplyOptions): HttpReply {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'request-id': anthropicRequestId(options.sequence),
    'x-shepherd-simulator': 'anthropic',
  };
  const retryAfter = options.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  return {
    status,
    headers,
    body: JSON.stringify(anthropicErrorBody(status, options.sequence, options.message)),
  };
}
