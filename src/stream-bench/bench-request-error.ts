/**
 * A request the benchmark could not measure, with a message meant for the person running it (HTTP
 * status, unreachable host, not a stream, …). Not a GatewayError: it describes someone else's
 * endpoint, not a response of this gateway.
 */
export class BenchRequestError extends Error {
  /**
   * The stream finished properly but carried no token to time: a thinking model can spend a small
   * `max_tokens` on hidden reasoning. It proves the endpoint works, so a warm-up accepts it.
   */
  readonly noTokens: boolean;

  constructor(message: string, options: { cause?: unknown; noTokens?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchRequestError';
    this.noTokens = options.noTokens ?? false;
  }
}
