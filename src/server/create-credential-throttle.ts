import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.ts';
import { createRateLimiter } from './create-rate-limiter.ts';

/**
 * Throttles guessing of credentials (test plan F11): a client address that sent too many invalid
 * API keys or admin tokens within the window is refused with 429 before its next credential is
 * looked at, whatever it brings, until enough of its failures have aged out. Keys carry about 200
 * random bits, so this is less about finding a key than about a weak admin token and the load of
 * a flood of lookups. Only failures count: a valid credential neither counts nor clears the count,
 * or one known key would reset the throttle between guesses.
 *
 * The address is Fastify's `request.ip`: the socket's peer, or the client named in
 * `X-Forwarded-For` when `server.trustProxy` trusts the proxy that sent it. Without that setting,
 * every client behind a reverse proxy shares the proxy's address and so its count.
 */
export interface CredentialThrottle {
  /** The 429 for a request from a throttled address, else undefined. */
  refusal(request: FastifyRequest): GatewayError | undefined;
  /** Counts an invalid credential against the request's address. */
  recordFailure(request: FastifyRequest): void;
}

export interface CredentialThrottleOptions {
  /** Invalid credentials allowed per address within the window; 0 turns the throttle off. */
  maxFailures: number;
  windowSeconds: number;
  /** Milliseconds, monotonic; `performance.now()` by default. */
  nowMs?: () => number;
}

/** Addresses tracked at most; the least recently failed are forgotten first. */
const MAX_ADDRESSES = 100_000;

export function createCredentialThrottle(options: CredentialThrottleOptions): CredentialThrottle {
  if (options.maxFailures === 0) {
    return { refusal: () => undefined, recordFailure: () => {} };
  }
  const limiter = createRateLimiter({
    maxEvents: options.maxFailures,
    windowMs: options.windowSeconds * 1000,
    maxKeys: MAX_ADDRESSES,
    nowMs: options.nowMs ?? (() => performance.now()),
  });
  return {
    refusal(request) {
      const retryAfterSeconds = limiter.retryAfterSeconds(request.ip);
      if (retryAfterSeconds === 0) return undefined;
      return new GatewayError(
        'GW_ERR_AUTH_RATE_LIMITED',
        `Too many requests with an invalid API key or token came from this address; try again in ${retryAfterSeconds} seconds with a valid one.`,
        { retryAfterSeconds },
      );
    },
    recordFailure(request) {
      limiter.record(request.ip);
    },
  };
}
