import type { ErrorCode } from '../errors/error-catalog.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { UpstreamErrorResponse } from './provider-adapter.ts';

/**
 * The shared part of every adapter's `mapError`: the upstream's HTTP status decides the code,
 * client status and retryability; the adapter supplies the message it extracted from the body and
 * may override the code (for example `context_length_exceeded`).
 *
 * Status policy: 400/404/413/422 are the client's fault and never retried; 401/402 mean the
 * provider key or the provider account is broken (the client's own key is fine), so they surface as
 * 502 and another deployment may be tried; 408/429/5xx/529 are transient.
 */
export function mapUpstreamStatus(input: {
  response: UpstreamErrorResponse;
  message: string;
  code?: ErrorCode;
  retryAfterSeconds?: number;
}): GatewayError {
  const { response } = input;
  const code = input.code ?? codeForStatus(response.status);
  const retryAfterSeconds =
    input.retryAfterSeconds ?? parseRetryAfter(response.headers['retry-after']);
  const options: ConstructorParameters<typeof GatewayError>[2] = {
    upstreamStatus: response.status,
  };
  if (retryAfterSeconds !== undefined) options.retryAfterSeconds = retryAfterSeconds;
  // 503 and 504 keep their own status so clients see "unavailable" versus "timed out".
  if (response.status === 503 || response.status === 504) options.status = response.status;
  return new GatewayError(code, input.message, options);
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'GW_ERR_UPSTREAM_BAD_REQUEST';
    case 401:
      return 'GW_ERR_UPSTREAM_AUTH';
    case 402:
      return 'GW_ERR_UPSTREAM_QUOTA';
    case 403:
      return 'GW_ERR_UPSTREAM_PERMISSION';
    case 404:
      return 'GW_ERR_UPSTREAM_NOT_FOUND';
    case 408:
    case 504:
      return 'GW_ERR_UPSTREAM_TIMEOUT';
    case 413:
      return 'GW_ERR_BODY_TOO_LARGE';
    case 429:
      return 'GW_ERR_UPSTREAM_RATE_LIMITED';
    case 503:
    case 529:
      return 'GW_ERR_UPSTREAM_OVERLOADED';
    default:
      return status >= 500 ? 'GW_ERR_UPSTREAM_SERVER_ERROR' : 'GW_ERR_UPSTREAM_BAD_REQUEST';
  }
}

/**
 * Parses a Retry-After header: delay-seconds, or an HTTP date relative to now is not supported
 * (adapters are pure; a date is rare from AI providers) and yields undefined.
 */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const seconds = Number(text.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * The error for a canonical request field this provider cannot honour. `reason`, when given, says
 * under which condition it cannot (`with extended thinking on (\`reasoning_effort\`)`).
 */
export function unsupportedParameter(
  param: string,
  providerLabel: string,
  reason?: string,
): GatewayError {
  const condition = reason === undefined ? '' : ` ${reason}`;
  return new GatewayError(
    'GW_ERR_UNSUPPORTED_PARAMETER',
    `The parameter \`${param}\` is not supported for this model (served by ${providerLabel})${condition}. Remove it and try again.`,
    { param },
  );
}
