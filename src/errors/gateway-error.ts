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
