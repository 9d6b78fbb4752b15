import type { GatewayError } from '../errors/gateway-error.ts';

/** When and how often a request is tried again, on the same or another deployment. */
export interface RetryPolicy {
  /** Attempts per request, across deployments and fallback models, the first included. */
  maxAttempts: number;
  /** Milliseconds from acceptance after which no new attempt starts. */
  budgetMs: number;
  /** Longest single wait before a retry; a longer Retry-After rules that deployment out. */
  maxRetryWaitMs: number;
  /** Full-jitter exponential backoff before trying a deployment again: random in [0, base·2ⁿ⁻¹]. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * The defaults, in one place. Three attempts cover "the primary failed, its twin failed, the
 * fallback answered" without turning one user request into a storm; the budget is short because
 * it only bounds the time before an answer begins (the per-model timeouts bound each attempt).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  budgetMs: 60_000,
  maxRetryWaitMs: 10_000,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
};

/** What to do after an attempt failed with this error. */
export type FailureDecision =
  /** The deployment is unhealthy for now: try another, or this one again after a wait. */
  | 'retry'
  /**
   * This deployment is broken, not the request (upstream 401/402: its key or provider account;
   * 404: its model id): never this one again, another deployment may serve.
   */
  | 'skip-deployment'
  /** The request itself is at fault or the client left: answer with this error now. */
  | 'stop';

/**
 * Retry on connection errors, timeouts before the first byte, 408, 429, 500, 502, 503, 504 and
 * 529 (the catalogue marks those codes retryable); never on 400/403/404/413/422 or the gateway's
 * own refusals, which would fail the same way anywhere. Upstream 401/402/404 are not retried
 * either, but they indict the deployment (its key, its provider account, its model id), not the
 * request, so another deployment may still serve.
 */
export function decideAfterFailure(error: GatewayError): FailureDecision {
  if (error.code === 'GW_ERR_CLIENT_CLOSED') return 'stop';
  if (
    error.code === 'GW_ERR_UPSTREAM_AUTH' ||
    error.code === 'GW_ERR_UPSTREAM_QUOTA' ||
    error.code === 'GW_ERR_UPSTREAM_NOT_FOUND'
  )
    return 'skip-deployment';
  return error.isRetryable ? 'retry' : 'stop';
}

/** Full-jitter backoff before the `tries`-th retry of one deployment (tries ≥ 1). */
export function backoffMs(policy: RetryPolicy, tries: number, random: () => number): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, tries - 1));
  return Math.floor(random() * ceiling);
}
