import type { ErrorCode } from '../../errors/error-catalog.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import { mapUpstreamStatus } from '../map-upstream-status.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { geminiErrorBodySchema, geminiErrorDetailSchema } from './gemini-response-schemas.ts';

/** Upstream messages are short; a longer one is cut so an odd body cannot flood the client. */
const MAX_MESSAGE_LENGTH = 500;

/**
 * ErrorInfo reasons that mean the provider key itself is broken, although Gemini answers 400
 * (`API_KEY_INVALID`) or 403 (`CONSUMER_SUSPENDED`): the client's request is fine and another
 * deployment may serve it.
 */
const PROVIDER_KEY_REASONS: ReadonlySet<string> = new Set([
  'API_KEY_INVALID',
  'CONSUMER_SUSPENDED',
]);

/** google.protobuf.Duration in JSON: decimal seconds with an `s` suffix (`"1s"`, `"1.500s"`). */
const DURATION = /^(\d+(?:\.\d+)?)s$/;

/**
 * Maps a non-2xx Gemini answer, a google.rpc.Status body `{"error":{"code","message","status",
 * "details"}}` (some endpoints wrap it in a one-element array). The HTTP status decides code and
 * retryability; a 429's delay comes from the body's RetryInfo `retryDelay`, since Gemini sends no
 * Retry-After header. The message is Gemini's, with anything shaped like a Google API key removed
 * (a suspended-consumer message quotes the key).
 *
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 * @see https://cloud.google.com/apis/design/errors#error_details
 */
export function mapGeminiError(response: UpstreamErrorResponse): GatewayError {
  const generic = `The Gemini API answered with HTTP ${response.status}.`;
  const json = safeParseJson(response.body);
  const body: unknown = json.ok ? json.value : undefined;
  const parsed = geminiErrorBodySchema.safeParse(Array.isArray(body) ? body[0] : body);
  if (!parsed.success) return mapUpstreamStatus({ response, message: generic });

  const error = parsed.data.error;
  const text = redactApiKeys(error.message?.trim() ?? '');
  const input: Parameters<typeof mapUpstreamStatus>[0] = {
    response,
    message: text === '' ? generic : text.slice(0, MAX_MESSAGE_LENGTH),
  };
  for (const entry of error.details ?? []) {
    const detail = geminiErrorDetailSchema.safeParse(entry);
    if (!detail.success) continue;
    const type = detail.data['@type'] ?? '';
    if (type.endsWith('google.rpc.RetryInfo')) {
      const seconds = parseDuration(detail.data.retryDelay);
      if (seconds !== undefined) input.retryAfterSeconds = seconds;
    } else if (type.endsWith('google.rpc.ErrorInfo')) {
      const code = codeForReason(detail.data.reason);
      if (code !== undefined) input.code = code;
    }
  }
  return mapUpstreamStatus(input);
}

function parseDuration(value: string | null | undefined): number | undefined {
  const match = DURATION.exec(value?.trim() ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function codeForReason(reason: string | null | undefined): ErrorCode | undefined {
  return reason != null && PROVIDER_KEY_REASONS.has(reason) ? 'GW_ERR_UPSTREAM_AUTH' : undefined;
}

function redactApiKeys(message: string): string {
  return message
    .replace(/AIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/api_key:[^\s'"]+/g, 'api_key:[redacted]');
}
