import type { ErrorReplyOptions, HttpReply } from '../response-plan.ts';

const SUFFIX = ' (Shepherd provider simulator)';

const STATUSES: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', "Method doesn't allow unregistered callers. Please use an API key."],
  403: ['PERMISSION_DENIED', 'The caller does not have permission.'],
  404: ['NOT_FOUND', 'The requested model was not found.'],
  429: [
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details.',
  ],
  499: ['CANCELLED', 'The operation was cancelled.'],
  500: ['INTERNAL', 'An internal error has occurred.'],
  501: ['NOT_IMPLEMENTED', 'Method not implemented.'],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'The request timed out.'],
};

/**
 * Google's error object. The retry delay travels in the body (`RetryInfo`), never in a header:
 * 429 always has one (default 1 s), other statuses when the fault names a delay.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function geminiErrorBody(
  status: number,
  options: { message?: string; retryAfterSeconds?: number },
): Record<string, unknown> {
  const [statusName, defaultMessage] = STATUSES[status] ?? [
    status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION',
    'Request failed.',
  ];
  const retryAfter = options.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  const error: Record<string, unknown> = {
    code: status,
    message: (options.message ?? defaultMessage) + SUFFIX,
    status: statusName,
  };
  if (retryAfter !== undefined) {
    error.details = [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` },
    ];
  }
  return { error };
}

export function geminiErrorReply(status: number, options: ErrorReplyOptions): HttpReply {
  const body: { message?: string; retryAfterSeconds?: number } = {};
  if (options.message !== undefined) body.message = options.message;
  if (options.retryAfterSeconds !== undefined) body.retryAfterSeconds = options.retryAfterSeconds;
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'x-shepherd-simulator': 'gemini',
    },
    body: JSON.stringify(geminiErrorBody(status, body)),
  };
}
