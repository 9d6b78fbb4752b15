import { GatewayError } from '../errors/gateway-error.ts';

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MINIMUM_SECRET_LENGTH = 8;

/** Replaces every occurrence of `secret` (of each of them, when a list) in `text`. */
export function redactSecret(text: string, secret: string | readonly string[]): string {
  if (typeof secret !== 'string') {
    let redacted = text;
    // Longest first: a secret that contains another is replaced whole.
    for (const one of [...secret].sort((a, b) => b.length - a.length)) {
      redacted = redactSecret(redacted, one);
    }
    return redacted;
  }
  if (secret.length < MINIMUM_SECRET_LENGTH || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}

/**
 * `error` with `secret` replaced in its message. A `GatewayError`'s message reaches the client and
 * the logs, and an adapter copies the provider's own text into it (an error body, or an error event
 * inside a 200 stream), which may quote the key it was sent. The copy drops `cause`, which holds
 * the provider's unredacted text. Anything else is returned as it is: its message is ours.
 */
export function redactError(error: GatewayError, secret: string | readonly string[]): GatewayError;
export function redactError(error: unknown, secret: string | readonly string[]): unknown;
export function redactError(error: unknown, secret: string | readonly string[]): unknown {
  if (!(error instanceof GatewayError)) return error;
  const message = redactSecret(error.message, secret);
  if (message === error.message) return error;
  const options: ConstructorParameters<typeof GatewayError>[2] = {
    status: error.status,
    retryable: error.isRetryable,
  };
  if (error.param !== undefined) options.param = error.param;
  if (error.retryAfterSeconds !== undefined) options.retryAfterSeconds = error.retryAfterSeconds;
  if (error.upstreamStatus !== undefined) options.upstreamStatus = error.upstreamStatus;
  return new GatewayError(error.code, message, options);
}
