import type { Deployment } from './deployment.ts';

/** How a finished attempt counts for its deployment's health. */
export type AttemptVerdict =
  /** Answered (or refused the client's own bad input: the deployment itself is fine). */
  | { kind: 'success' }
  /** Connection error, timeout, 408/429/5xx/529: counts towards opening the breaker. */
  | { kind: 'transient'; retryAfterMs?: number }
  /** Upstream 401/402: the provider key or account is broken; out until a probe or an operator. */
  | { kind: 'credential' }
  /** Nothing learned (the client went away): frees a half-open probe slot, counts nothing. */
  | { kind: 'neutral' }
  /**
   * An attempt forced past the breaker was asked to wait (Retry-After): only the cool-down is
   * kept. Its failure or success says nothing the breaker's own probe is not there to learn.
   */
  | { kind: 'cooling'; retryAfterMs: number };

export type BreakerState = 'closed' | 'open' | 'half_open' | 'disabled';

/** One deployment's health as `/admin/api/upstreams` shows it (`/readyz`: without `lastError`). */
export interface DeploymentHealthView {
  id: string;
  provider: string;
  upstreamModel: string;
  modelIds: string[];
  state: BreakerState;
  consecutiveFailures: number;
  /** Failures ÷ attempts within the rolling window (0 when it is empty). */
  failureRate: number;
  windowAttempts: number;
  /** Wall-clock ms when an open/disabled breaker next lets a probe through; null when closed. */
  retryAtMs: number | null;
  /** Rate-limit cool-down (Retry-After) in force until, wall-clock ms; null when none. */
  coolingUntilMs: number | null;
  lastError: string | null;
  lastChangeAtMs: number | null;
}

export interface CircuitBreakerPolicy {
  /** Consecutive transient failures that open the breaker. */
  consecutiveFailures: number;
  /** Failure rate (0..1) over the window that opens it, once `minimumAttempts` were seen. */
  failureRate: number;
  minimumAttempts: number;
  /** Rolling window of the failure rate, ms. */
  windowMs: number;
  /** First open period, ms; doubles on each failed probe up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs: number;
  /** How long a credential failure keeps a deployment out before one probe is let through, ms. */
  credentialRecheckMs: number;
}

/** Per-deployment circuit breakers, shared by every request of this gateway process. */
export interface DeploymentHealth {
  /** Registers deployments (idempotent; several models may share one deployment id). */
  register(deployments: readonly Deployment[]): void;
  /**
   * Whether an attempt may start now. Closed and not cooling: yes. Open or disabled: no until its
   * retry time, then it turns half-open and lets exactly one probe through (`true` once) until that
   * probe's verdict arrives. Unknown ids are treated as closed.
   */
  tryAcquire(id: string, nowMs: number): boolean;
  /** Would `tryAcquire` say yes, without claiming a probe slot (for ordering candidates). */
  isAvailable(id: string, nowMs: number): boolean;
  /** The breaker's state ('closed' for unknown ids); no side effects. */
  stateOf(id: string): BreakerState;
  /** Monotonic ms until which a provider's Retry-After keeps it out; undefined when none is in force. */
  coolingUntil(id: string, nowMs: number): number | undefined;
  /** Records how an attempt that `tryAcquire` admitted ended. */
  record(id: string, verdict: AttemptVerdict, nowMs: number, errorMessage?: string): void;
  /** Operator action: back to closed with counters cleared. False for an unknown id. */
  reset(id: string, nowMs: number): boolean;
  snapshot(nowMs: number): DeploymentHealthView[];
}
