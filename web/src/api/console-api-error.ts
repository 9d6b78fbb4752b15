/** An error answer of the console API: the OpenAI error shape, translated by `code`. */
export class ConsoleApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** From `Retry-After`, for `login_rate_limited`. */
  readonly retryAfterSeconds: number | null;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    retryAfterSeconds: number | null;
  }) {
    super(options.message);
    this.name = 'ConsoleApiError';
    this.status = options.status;
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
