import { ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';

export interface GatewayErrorOptions {
  /** The request field the error is about (`messages[0].content`), as the client named it. */
  param?: string;
  /** Overrides the catalogue's status (for example an upstream 429 keeps 429, an upstream 503 stays 503). */
  status?: number;
  /** Overrides the catalogue's retryability. */
  retryable?: boolean;
  /** Seconds the upstream asked us to wait (Retry-After), kept for the client and for routing. */
  retryAfterSeconds?: number;
  /** The status the upstream answered with, when the error came from one. */
  upstreamStatus?: number;
  /** Upstream attempts made before this error (set by the failover walk, for response headers). */
  attempts?: number;
  /** Whether a fallback model was tried. */
  fellBack?: boolean;
  cause?: unknown;
}

/**
 * The one error type that crosses layers. Its message is safe to show a client: it never holds a
 * secret, a provider key or an internal URL. Details for operators go in `cause`.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly isRetryable: boolean;
  readonly param: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly attempts: number | undefined;
  readonly fellBack: boolean | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CATALOG[code];
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.isRetryable = options.retryable ?? entry.retryable;
    this.param = options.param;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
    this.attempts = options.attempts;
    this.fellBack = options.fellBack;
  }

  /** OpenAI error `type` for this code. */
  get openaiType(): string {
    return ERROR_CATALOG[this.code].type;
  }

  /** OpenAI error `code` for this code. */
  get openaiCode(): string {
    return ERROR_CATALOG[this.code].openaiCode;
  }
}

/** A copy of `error` with some options replaced (the original stays the copy's cause). */
export function copyGatewayError(
  error: GatewayError,
  overrides: Omit<GatewayErrorOptions, 'cause'> & { message?: string },
): GatewayError {
  const options: GatewayErrorOptions = {
    status: error.status,
    retryable: error.isRetryable,
    cause: error.cause ?? error,
  };
  if (error.param !== undefined) options.param = error.param;
  if (error.retryAfterSeconds !== undefined) options.retryAfterSeconds = error.retryAfterSeconds;
  if (error.upstreamStatus !== undefined) options.upstreamStatus = error.upstreamStatus;
  if (error.attempts !== undefined) options.attempts = error.attempts;
  if (error.fellBack !== undefined) options.fellBack = error.fellBack;
  const { message, ...rest } = overrides;
  return new GatewayError(error.code, message ?? error.message, { ...options, ...rest });
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** Wraps anything thrown into a GatewayError without losing it (kept as `cause`). */
export function toGatewayError(value: unknown): GatewayError {
  if (value instanceof GatewayError) return value;
  return new GatewayError('GW_ERR_INTERNAL', 'The gateway failed to handle the request.', {
    cause: value,
  });
}
