import type { ErrorReplyOptions, HttpReply } from '../response-plan.ts';
import { type ChatCompletionsFlavor, requestId } from './chat-completions-flavor.ts';

const SUFFIX = ' (Shepherd provider simulator)';

interface ErrorShape {
  type: string;
  code: string | null;
  message: string;
}

function openaiShape(status: number): ErrorShape {
  if (status === 401) {
    return {
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: 'Incorrect API key provided.',
    };
  }
  if (status === 403) {
    return {
      type: 'invalid_request_error',
      code: 'permission_denied',
      message: 'You are not allowed to access this resource.',
    };
  }
  if (status === 404) {
    return {
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: 'The model does not exist or you do not have access to it.',
    };
  }
  if (status === 429) {
    return {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for requests.',
    };
  }
  if (status >= 500) {
    return {
      type: 'server_error',
      code: null,
      message: 'The server had an error while processing your request. Sorry about that!',
    };
  }
  return { type: 'invalid_request_error', code: null, message: 'Invalid request.' };
}

/** DeepSeek's documented status meanings, in the OpenAI-compatible body. */
function deepseekShape(status: number): ErrorShape {
  const messages: Record<number, [string, string]> = {
    400: ['invalid_request_error', 'Invalid Format'],
    401: ['authentication_error', 'Authentication Fails'],
    402: ['invalid_request_error', 'Insufficient Balance'],
    422: ['invalid_request_error', 'Invalid Parameters'],
    429: ['rate_limit_error', 'Rate Limit Reached'],
    500: ['server_error', 'Server Error'],
    503: ['server_error', 'Server Overloaded'],
  };
  const [type, message] = messages[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    'Request failed',
  ];
  return { type, code: type === 'authentication_error' ? 'invalid_request_error' : null, message };
}

export function chatCompletionsErrorBody(
  flavor: ChatCompletionsFlavor,
  status: number,
  options: { message?: string; param?: string | null },
): Record<string, unknown> {
  const shape = flavor === 'openai' ? openaiShape(status) : deepseekShape(status);
  return {
    error: {
      message: (options.message ?? shape.message) + SUFFIX,
      type: shape.type,
      param: options.param ?? null,
      code: shape.code,
    },
  };
}

/**
 * An error answer in OpenAI's (or DeepSeek's) format. A 429 always announces `retry-after`
 * (default 1 s) for OpenAI; other statuses only when the fault names a delay.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function chatCompletionsErrorReply(
  flavor: ChatCompletionsFlavor,
  status: number,
  options: ErrorReplyOptions & { param?: string | null },
): HttpReply {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-request-id': requestId(options.sequence),
    'x-shepherd-simulator': flavor,
  };
  const defaultRetry = flavor === 'openai' && status === 429 ? 1 : undefined;
  const retryAfter = options.retryAfterSeconds ?? defaultRetry;
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  const body: { message?: string; param?: string | null } = {};
  if (options.message !== undefined) body.message = options.message;
  if (options.param !== undefined) body.param = options.param;
  return { status, headers, body: JSON.stringify(chatCompletionsErrorBody(flavor, status, body)) };
}
