/**
 * Every error the gateway returns, by code. `status` is the HTTP status clients see; `type` and
 * `openaiCode` are the OpenAI error body fields; `retryable` says whether routing may try again
 * (another attempt or deployment) before the first byte reached the client.
 * docs/errors.md lists the same codes; test/errors-doc.test.ts keeps them in sync.
 */
export const ERROR_CATALOG = {
  GW_ERR_INVALID_JSON: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'invalid_json',
    retryable: false,
  },
  GW_ERR_INVALID_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'invalid_request',
    retryable: false,
  },
  GW_ERR_UNSUPPORTED_PARAMETER: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'unsupported_parameter',
    retryable: false,
  },
  GW_ERR_BODY_TOO_LARGE: {
    status: 413,
    type: 'invalid_request_error',
    openaiCode: 'request_too_large',
    retryable: false,
  },
  GW_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: 'invalid_request_error',
    openaiCode: 'unsupported_media_type',
    retryable: false,
  },
  GW_ERR_INVALID_API_KEY: {
    status: 401,
    type: 'authentication_error',
    openaiCode: 'invalid_api_key',
    retryable: false,
  },
  GW_ERR_AUTH_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    openaiCode: 'too_many_invalid_credentials',
    retryable: false,
  },
  GW_ERR_INSUFFICIENT_BALANCE: {
    status: 402,
    type: 'insufficient_balance',
    openaiCode: 'insufficient_balance',
    retryable: false,
  },
  GW_ERR_API_KEY_EXPIRED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'api_key_expired',
    retryable: false,
  },
  GW_ERR_MODEL_NOT_ALLOWED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'model_not_allowed',
    retryable: false,
  },
  GW_ERR_KEY_SPEND_CAP_EXCEEDED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'key_spend_cap_exceeded',
    retryable: false,
  },
  GW_ERR_CONSOLE_NOT_AUTHENTICATED: {
    status: 401,
    type: 'authentication_error',
    openaiCode: 'console_not_authenticated',
    retryable: false,
  },
  GW_ERR_CONSOLE_INVALID_CREDENTIALS: {
    status: 401,
    type: 'authentication_error',
    openaiCode: 'invalid_credentials',
    retryable: false,
  },
  GW_ERR_CONSOLE_USER_DISABLED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'console_user_disabled',
    retryable: false,
  },
  GW_ERR_CONSOLE_CSRF_INVALID: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'csrf_token_invalid',
    retryable: false,
  },
  GW_ERR_CONSOLE_ADMIN_REQUIRED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'admin_role_required',
    retryable: false,
  },
  GW_ERR_CONSOLE_SIGNUP_DISABLED: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'signup_disabled',
    retryable: false,
  },
  GW_ERR_CONSOLE_EMAIL_TAKEN: {
    status: 409,
    type: 'invalid_request_error',
    openaiCode: 'email_taken',
    retryable: false,
  },
  GW_ERR_CONSOLE_SIGNUP_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    openaiCode: 'signup_rate_limited',
    retryable: false,
  },
  GW_ERR_CONSOLE_LOGIN_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    openaiCode: 'login_rate_limited',
    retryable: false,
  },
  GW_ERR_PASSWORD_TOO_SHORT: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'password_too_short',
    retryable: false,
  },
  GW_ERR_PASSWORD_ONE_CLASS: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'password_one_character_class',
    retryable: false,
  },
  GW_ERR_PASSWORD_COMMON: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'password_too_common',
    retryable: false,
  },
  GW_ERR_PASSWORD_CONTAINS_EMAIL: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'password_contains_email',
    retryable: false,
  },
  GW_ERR_VOUCHER_MALFORMED: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'voucher_malformed',
    retryable: false,
  },
  GW_ERR_VOUCHER_NOT_FOUND: {
    status: 404,
    type: 'invalid_request_error',
    openaiCode: 'voucher_not_found',
    retryable: false,
  },
  GW_ERR_VOUCHER_ALREADY_REDEEMED: {
    status: 409,
    type: 'invalid_request_error',
    openaiCode: 'voucher_already_redeemed',
    retryable: false,
  },
  GW_ERR_VOUCHER_EXPIRED: {
    status: 410,
    type: 'invalid_request_error',
    openaiCode: 'voucher_expired',
    retryable: false,
  },
  GW_ERR_API_KEY_REVOKED: {
    status: 409,
    type: 'invalid_request_error',
    openaiCode: 'api_key_revoked',
    retryable: false,
  },
  GW_ERR_REPORT_CURRENCY_MISMATCH: {
    status: 409,
    type: 'invalid_request_error',
    openaiCode: 'report_currency_mismatch',
    retryable: false,
  },
  GW_ERR_MODEL_NOT_FOUND: {
    status: 404,
    type: 'invalid_request_error',
    openaiCode: 'model_not_found',
    retryable: false,
  },
  GW_ERR_ROUTE_NOT_FOUND: {
    status: 404,
    type: 'invalid_request_error',
    openaiCode: 'not_found',
    retryable: false,
  },
  GW_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    openaiCode: 'method_not_allowed',
    retryable: false,
  },
  GW_ERR_UPSTREAM_BAD_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'upstream_bad_request',
    retryable: false,
  },
  GW_ERR_CONTEXT_LENGTH_EXCEEDED: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'context_length_exceeded',
    retryable: false,
  },
  GW_ERR_UPSTREAM_AUTH: {
    status: 502,
    type: 'upstream_error',
    openaiCode: 'upstream_authentication_failed',
    retryable: true,
  },
  GW_ERR_UPSTREAM_PERMISSION: {
    status: 403,
    type: 'permission_error',
    openaiCode: 'upstream_permission_denied',
    retryable: false,
  },
  GW_ERR_UPSTREAM_NOT_FOUND: {
    status: 502,
    type: 'upstream_error',
    openaiCode: 'upstream_not_found',
    retryable: true,
  },
  GW_ERR_UPSTREAM_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    openaiCode: 'rate_limit_exceeded',
    retryable: true,
  },
  GW_ERR_UPSTREAM_QUOTA: {
    status: 502,
    type: 'upstream_error',
    openaiCode: 'upstream_quota_exceeded',
    retryable: true,
  },
  GW_ERR_UPSTREAM_OVERLOADED: {
    status: 503,
    type: 'server_error',
    openaiCode: 'upstream_overloaded',
    retryable: true,
  },
  GW_ERR_UPSTREAM_SERVER_ERROR: {
    status: 502,
    type: 'server_error',
    openaiCode: 'upstream_error',
    retryable: true,
  },
  GW_ERR_UPSTREAM_TIMEOUT: {
    status: 504,
    type: 'server_error',
    openaiCode: 'upstream_timeout',
    retryable: true,
  },
  GW_ERR_UPSTREAM_UNREACHABLE: {
    status: 502,
    type: 'server_error',
    openaiCode: 'upstream_unreachable',
    retryable: true,
  },
  GW_ERR_UPSTREAM_BAD_RESPONSE: {
    status: 502,
    type: 'server_error',
    openaiCode: 'upstream_bad_response',
    retryable: true,
  },
  GW_ERR_UPSTREAM_STREAM_ERROR: {
    status: 502,
    type: 'server_error',
    openaiCode: 'upstream_stream_error',
    retryable: true,
  },
  GW_ERR_UPSTREAM_CONTENT_FILTERED: {
    status: 400,
    type: 'invalid_request_error',
    openaiCode: 'content_filter',
    retryable: false,
  },
  GW_ERR_CLIENT_CLOSED: {
    status: 499,
    type: 'invalid_request_error',
    openaiCode: 'client_closed_request',
    retryable: false,
  },
  GW_ERR_STORAGE_UNAVAILABLE: {
    status: 503,
    type: 'server_error',
    openaiCode: 'service_unavailable',
    retryable: false,
  },
  GW_ERR_INTERNAL: {
    status: 500,
    type: 'server_error',
    openaiCode: 'internal_error',
    retryable: false,
  },
} as const satisfies Record<string, ErrorCatalogEntry>;

export interface ErrorCatalogEntry {
  status: number;
  type: string;
  openaiCode: string;
  retryable: boolean;
}

export type ErrorCode = keyof typeof ERROR_CATALOG;
