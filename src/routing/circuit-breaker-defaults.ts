import type { CircuitBreakerPolicy } from './deployment-health.ts';

/**
 * The defaults, in one place. Five failures in a row catch a deployment that went down; the rate
 * rule (half of at least twenty attempts in thirty seconds) catches one that fails intermittently
 * under load, without tripping on two unlucky requests at low traffic. A failed probe doubles the
 * wait so a provider that stays down costs one probe per period, at most one every five minutes.
 * A rejected key needs a human, so it is re-checked only every five minutes.
 */
export const DEFAULT_CIRCUIT_BREAKER_POLICY: CircuitBreakerPolicy = {
  consecutiveFailures: 5,
  failureRate: 0.5,
  minimumAttempts: 20,
  windowMs: 30_000,
  cooldownMs: 30_000,
  maxCooldownMs: 300_000,
  credentialRecheckMs: 300_000,
};
