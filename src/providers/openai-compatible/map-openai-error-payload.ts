import { GatewayError } from '../../errors/gateway-error.ts';
import { mapOpenAIErrorDetail } from './map-openai-error-detail.ts';
import { readOpenAIError } from './read-openai-error.ts';

/** Error `type`/`code` labels seen in stream error payloads, by the HTTP status they stand for. */
const STATUS_BY_LABEL = new Map<string, number>([
  ['invalid_request_error', 400],
  ['BadRequestError', 400],
  ['context_length_exceeded', 400],
  ['authentication_error', 401],
  ['invalid_api_key', 401],
  ['permission_error', 403],
  ['not_found_error', 404],
  ['model_not_found', 404],
  ['rate_limit_exceeded', 429],
  ['rate_limit_error', 429],
  ['insufficient_quota', 429],
  ['server_error', 500],
  ['api_error', 500],
  ['InternalServerError', 500],
  ['overloaded_error', 503],
]);

/**
 * An `error` member sent after a 200: in a stream chunk (`data: {"error":{…}}`) or as a whole
 * non-streaming body. The HTTP status says nothing, so the error's own code or type stands in for
 * it; an error naming neither is a plain stream failure or bad response.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function mapOpenAIErrorPayload(error: unknown, where: 'stream' | 'body'): GatewayError {
  const detail = readOpenAIError({ error });
  const status = statusOf(detail?.code) ?? statusOf(detail?.type);
  if (status === undefined) {
    return where === 'stream'
      ? new GatewayError(
          'GW_ERR_UPSTREAM_STREAM_ERROR',
          'The upstream provider reported an error during the stream.',
        )
      : new GatewayError(
          'GW_ERR_UPSTREAM_BAD_RESPONSE',
          'The upstream provider answered with an error instead of a chat completion.',
        );
  }
  const mapped = mapOpenAIErrorDetail({
    response: { status, headers: {}, body: '' },
    detail,
    origin: where === 'stream' ? 'reported during the stream' : 'reported with HTTP 200',
  });
  // Rebuilt without `upstreamStatus`: the upstream really answered 200.
  return new GatewayError(mapped.code, mapped.message, {
    status: mapped.status,
    retryable: mapped.isRetryable,
  });
}

function statusOf(label: string | number | undefined): number | undefined {
  if (typeof label === 'number') return label >= 400 && label <= 599 ? label : undefined;
  return label === undefined ? undefined : STATUS_BY_LABEL.get(label);
}
