import type { ErrorCode } from '../../errors/error-catalog.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { mapUpstreamStatus } from '../map-upstream-status.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import type { OpenAIErrorDetail } from './read-openai-error.ts';

const MAX_MESSAGE_LENGTH = 500;

/**
 * Turns an upstream status plus the error object read from its body into a `GatewayError`.
 *
 * The body's code refines the status: `context_length_exceeded`, `insufficient_quota` (OpenAI's
 * 429 for an empty account, which waiting does not fix) and content filtering. The upstream's own
 * message reaches the client only when the client's request was at fault (400, 413, 422). Other
 * failures get a generic message naming the status, since their text is about the operator's
 * account: OpenAI's 401 quotes part of the key and its 429 names the organisation.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function mapOpenAIErrorDetail(input: {
  response: UpstreamErrorResponse;
  detail: OpenAIErrorDetail | undefined;
  /** Where the error came from, for generic messages; defaults to `HTTP <status>`. */
  origin?: string;
}): GatewayError {
  const { response, detail } = input;
  const code = codeFromDetail(detail, response.status);
  const origin = input.origin ?? `HTTP ${response.status}`;
  const message = clientMessage({ status: response.status, code, origin, detail });
  return code === undefined
    ? mapUpstreamStatus({ response, message })
    : mapUpstreamStatus({ response, message, code });
}

/**
 * How vLLM words a context overflow (its code is the HTTP status, its type `BadRequestError`):
 * "This model's maximum context length is 4096 tokens…".
 */
const VLLM_CONTEXT_OVERFLOW = /\bmaximum context length is \d+ tokens\b/i;

function codeFromDetail(
  detail: OpenAIErrorDetail | undefined,
  status: number,
): ErrorCode | undefined {
  if (detail === undefined) return undefined;
  const labels = [detail.code, detail.type];
  // `exceed_context_size_error`: llama.cpp's server.
  if (labels.includes('context_length_exceeded') || labels.includes('exceed_context_size_error')) {
    return 'GW_ERR_CONTEXT_LENGTH_EXCEEDED';
  }
  if (status === 400 && VLLM_CONTEXT_OVERFLOW.test(detail.message ?? '')) {
    return 'GW_ERR_CONTEXT_LENGTH_EXCEEDED';
  }
  if (labels.includes('insufficient_quota')) return 'GW_ERR_UPSTREAM_QUOTA';
  if (labels.includes('content_filter') || labels.includes('content_policy_violation')) {
    return 'GW_ERR_UPSTREAM_CONTENT_FILTERED';
  }
  return undefined;
}

function clientMessage(input: {
  status: number;
  code: ErrorCode | undefined;
  origin: string;
  detail: OpenAIErrorDetail | undefined;
}): string {
  const { status, code, origin } = input;
  const forwardable =
    code === 'GW_ERR_CONTEXT_LENGTH_EXCEEDED' ||
    code === 'GW_ERR_UPSTREAM_CONTENT_FILTERED' ||
    (code === undefined && (status === 400 || status === 413 || status === 422));
  const trimmed = input.detail?.message?.trim() ?? '';
  if (forwardable && trimmed !== '') {
    return trimmed.length > MAX_MESSAGE_LENGTH
      ? `${trimmed.slice(0, MAX_MESSAGE_LENGTH)}…`
      : trimmed;
  }
  if (code === 'GW_ERR_UPSTREAM_QUOTA' || status === 402) {
    return `The upstream provider account has no quota or credit left (${origin}).`;
  }
  switch (status) {
    case 401:
      return `The upstream provider rejected the gateway's credentials (${origin}).`;
    case 429:
      return `The upstream provider is rate limiting requests (${origin}).`;
    case 403:
      return `The upstream provider refused access to this model (${origin}).`;
    case 404:
      // No OpenAI-style error with it: what a server answers for a path it does not serve, most
      // often a self-hosted server configured without the `/v1` its OpenAI API lives under.
      return input.detail === undefined
        ? `The upstream provider has no such endpoint (${origin}, without an API error): the gateway's operator should check this provider's baseUrl (vLLM, Ollama and llama.cpp serve the OpenAI API under /v1, e.g. http://localhost:11434/v1).`
        : `The upstream provider does not know the requested model or endpoint (${origin}).`;
    default:
      return `The upstream provider answered with an error (${origin}).`;
  }
}
