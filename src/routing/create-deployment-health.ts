import type { Deployment } from './deployment.ts';
import type {
  AttemptVerdict,
  BreakerState,
  CircuitBreakerPolicy,
  DeploymentHealth,
  DeploymentHealthView,
} from './deployment-health.ts';

/** The rolling window is this many fixed buckets, so memory per deployment never grows. */
const WINDOW_BUCKETS = 10;
const MAX_ERROR_MESSAGE_LENGTH = 200;
const DEFAULT_TRANSIENT_MESSAGE = 'transient upstream failure';
const DEFAULT_CREDENTIAL_MESSAGE = 'upstream rejected the credential';

interface DeploymentEntry {
  id: string;
  provider: string;
  upstreamModel: string;
  modelIds: string[];
  state: BreakerState;
  consecutiveFailures: number;
  /** Bucket number (`floor(now / bucketMs)`) each slot currently counts for. */
  bucketNumbers: number[];
  bucketAttempts: number[];
  bucketFailures: number[];
  /** Monotonic ms when an open or disabled breaker admits its probe. */
  retryAt: number | null;
  /** The open period in force, 0 since the last close: a failed probe doubles it. */
  cooldownMs: number;
  probeInFlight: boolean;
  /** Monotonic ms until which a Retry-After keeps the deployment out, whatever the breaker says. */
  coolingUntil: number | null;
  lastError: string | null;
  lastChangeAt: number | null;
}

interface WindowTotals {
  attempts: number;
  failures: number;
}

/**
 * In-memory circuit breakers keyed by deployment id. Every timing decision uses the monotonic
 * `nowMs` the caller passes (e.g. `performance.now()`), so a wall-clock jump never opens or closes
 * a breaker. `wallClock` is read only by `snapshot`, which anchors the two clocks at that instant
 * (`wall = t + (wallClock() - nowMs)`) to show the stored monotonic times as epoch ms.
 *
 * Verdicts that arrive while a breaker is open or disabled come from attempts admitted before it
 * opened; they only update `lastError` (and a Retry-After cool-down), since the probe alone decides
 * when the breaker closes. While half-open, the next verdict is taken as the probe's. Verdicts for
 * ids never registered are ignored: those deployments are always treated as closed.
 */
export function createDeploymentHealth(options: {
  policy: CircuitBreakerPolicy;
  wallClock: () => number;
}): DeploymentHealth {
  const { policy, wallClock } = options;
  const bucketMs = Math.max(1, policy.windowMs / WINDOW_BUCKETS);
  const entries = new Map<string, DeploymentEntry>();

  function windowTotals(entry: DeploymentEntry, nowMs: number): WindowTotals {
    const current = Math.floor(nowMs / bucketMs);
    let attempts = 0;
    let failures = 0;
    for (let slot = 0; slot < WINDOW_BUCKETS; slot++) {
      const bucketNumber = entry.bucketNumbers[slot] ?? Number.NEGATIVE_INFINITY;
      if (bucketNumber > current - WINDOW_BUCKETS && bucketNumber <= current) {
        attempts += entry.bucketAttempts[slot] ?? 0;
        failures += entry.bucketFailures[slot] ?? 0;
      }
    }
    return { attempts, failures };
  }

  function countAttempt(entry: DeploymentEntry, nowMs: number, failed: boolean): void {
    const bucketNumber = Math.floor(nowMs / bucketMs);
    const slot = ((bucketNumber % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS;
    if (entry.bucketNumbers[slot] !== bucketNumber) {
      entry.bucketNumbers[slot] = bucketNumber;
      entry.bucketAttempts[slot] = 0;
      entry.bucketFailures[slot] = 0;
    }
    entry.bucketAttempts[slot] = (entry.bucketAttempts[slot] ?? 0) + 1;
    if (failed) entry.bucketFailures[slot] = (entry.bucketFailures[slot] ?? 0) + 1;
  }

  function shouldOpen(entry: DeploymentEntry, nowMs: number): boolean {
    if (entry.consecutiveFailures >= policy.consecutiveFailures) return true;
    const { attempts, failures } = windowTotals(entry, nowMs);
    return attempts >= policy.minimumAttempts && failures / attempts >= policy.failureRate;
  }

  function close(entry: DeploymentEntry, nowMs: number): void {
    entry.state = 'closed';
    entry.consecutiveFailures = 0;
    entry.bucketNumbers.fill(Number.NEGATIVE_INFINITY);
    entry.retryAt = null;
    entry.cooldownMs = 0;
    entry.probeInFlight = false;
    entry.lastChangeAt = nowMs;
  }

  function open(entry: DeploymentEntry, nowMs: number): void {
    entry.cooldownMs =
      entry.cooldownMs === 0
        ? Math.min(policy.cooldownMs, policy.maxCooldownMs)
        : Math.min(entry.cooldownMs * 2, policy.maxCooldownMs);
    entry.state = 'open';
    entry.retryAt = nowMs + entry.cooldownMs;
    entry.probeInFlight = false;
    entry.lastChangeAt = nowMs;
  }

  function disable(entry: DeploymentEntry, nowMs: number): void {
    entry.state = 'disabled';
    entry.retryAt = nowMs + policy.credentialRecheckMs;
    entry.probeInFlight = false;
    entry.lastChangeAt = nowMs;
  }

  function isCooling(entry: DeploymentEntry, nowMs: number): boolean {
    return entry.coolingUntil !== null && nowMs < entry.coolingUntil;
  }

  function coolDown(
    entry: DeploymentEntry,
    verdict: { retryAfterMs?: number },
    nowMs: number,
  ): void {
    // A provider asking for a day's pause must not take a deployment out longer than the breaker
    // itself ever would: the cool-down is capped at the longest cooldown.
    const retryAfterMs = Math.min(verdict.retryAfterMs ?? 0, policy.maxCooldownMs);
    if (Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
      entry.coolingUntil = Math.max(entry.coolingUntil ?? nowMs, nowMs + retryAfterMs);
    }
  }

  function recordTransient(
    entry: DeploymentEntry,
    verdict: { retryAfterMs?: number },
    nowMs: number,
  ): void {
    coolDown(entry, verdict, nowMs);
    if (entry.state === 'closed') {
      entry.consecutiveFailures++;
      countAttempt(entry, nowMs, true);
      if (shouldOpen(entry, nowMs)) open(entry, nowMs);
    } else if (entry.state === 'half_open') {
      entry.consecutiveFailures++;
      open(entry, nowMs);
    }
  }

  return {
    register(deployments: readonly Deployment[]): void {
      for (const deployment of deployments) {
        const existing = entries.get(deployment.id);
        if (existing !== undefined) {
          if (!existing.modelIds.includes(deployment.modelId)) {
            existing.modelIds.push(deployment.modelId);
          }
          continue;
        }
        entries.set(deployment.id, {
          id: deployment.id,
          provider: deployment.provider,
          upstreamModel: deployment.upstreamModel,
          modelIds: [deployment.modelId],
          state: 'closed',
          consecutiveFailures: 0,
          bucketNumbers: new Array<number>(WINDOW_BUCKETS).fill(Number.NEGATIVE_INFINITY),
          bucketAttempts: new Array<number>(WINDOW_BUCKETS).fill(0),
          bucketFailures: new Array<number>(WINDOW_BUCKETS).fill(0),
          retryAt: null,
          cooldownMs: 0,
          probeInFlight: false,
          coolingUntil: null,
          lastError: null,
          lastChangeAt: null,
        });
      }
    },

    tryAcquire(id: string, nowMs: number): boolean {
      const entry = entries.get(id);
      if (entry === undefined) return true;
      if (isCooling(entry, nowMs)) return false;
      switch (entry.state) {
        case 'closed':
          return true;
        case 'half_open':
          if (entry.probeInFlight) return false;
          entry.probeInFlight = true;
          return true;
        case 'open':
        case 'disabled':
          if (entry.retryAt !== null && nowMs < entry.retryAt) return false;
          entry.state = 'half_open';
          entry.retryAt = null;
          entry.probeInFlight = true;
          entry.lastChangeAt = nowMs;
          return true;
      }
    },

    isAvailable(id: string, nowMs: number): boolean {
      const entry = entries.get(id);
      if (entry === undefined) return true;
      if (isCooling(entry, nowMs)) return false;
      switch (entry.state) {
        case 'closed':
          return true;
        case 'half_open':
          return !entry.probeInFlight;
        case 'open':
        case 'disabled':
          return entry.retryAt === null || nowMs >= entry.retryAt;
      }
    },

    stateOf(id: string): BreakerState {
      return entries.get(id)?.state ?? 'closed';
    },

    coolingUntil(id: string, nowMs: number): number | undefined {
      const entry = entries.get(id);
      return entry !== undefined && isCooling(entry, nowMs) && entry.coolingUntil !== null
        ? entry.coolingUntil
        : undefined;
    },

    record(id: string, verdict: AttemptVerdict, nowMs: number, errorMessage?: string): void {
      const entry = entries.get(id);
      if (entry === undefined) return;
      switch (verdict.kind) {
        case 'success':
          if (entry.state === 'half_open') close(entry, nowMs);
          else if (entry.state === 'closed') {
            entry.consecutiveFailures = 0;
            countAttempt(entry, nowMs, false);
          }
          return;
        case 'transient':
          entry.lastError = shorten(errorMessage ?? DEFAULT_TRANSIENT_MESSAGE);
          recordTransient(entry, verdict, nowMs);
          return;
        case 'credential':
          entry.lastError = shorten(errorMessage ?? DEFAULT_CREDENTIAL_MESSAGE);
          if (entry.state !== 'disabled') disable(entry, nowMs);
          return;
        case 'neutral':
          if (entry.state === 'half_open') entry.probeInFlight = false;
          return;
        case 'cooling':
          coolDown(entry, verdict, nowMs);
          return;
      }
    },

    reset(id: string, nowMs: number): boolean {
      const entry = entries.get(id);
      if (entry === undefined) return false;
      close(entry, nowMs);
      entry.coolingUntil = null;
      entry.lastError = null;
      return true;
    },

    snapshot(nowMs: number): DeploymentHealthView[] {
      const wallOffsetMs = wallClock() - nowMs;
      const toWall = (monotonicMs: number): number => Math.round(monotonicMs + wallOffsetMs);
      const views: DeploymentHealthView[] = [];
      for (const entry of entries.values()) {
        const { attempts, failures } = windowTotals(entry, nowMs);
        const waitsForRetry = entry.state === 'open' || entry.state === 'disabled';
        views.push({
          id: entry.id,
          provider: entry.provider,
          upstreamModel: entry.upstreamModel,
          modelIds: [...entry.modelIds],
          state: entry.state,
          consecutiveFailures: entry.consecutiveFailures,
          failureRate: attempts === 0 ? 0 : failures / attempts,
          windowAttempts: attempts,
          retryAtMs: waitsForRetry && entry.retryAt !== null ? toWall(entry.retryAt) : null,
          coolingUntilMs:
            entry.coolingUntil !== null && isCooling(entry, nowMs)
              ? toWall(entry.coolingUntil)
              : null,
          lastError: entry.lastError,
          lastChangeAtMs: entry.lastChangeAt === null ? null : toWall(entry.lastChangeAt),
        });
      }
      return views;
    },
  };
}

function shorten(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE_LENGTH
    ? message
    : `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}
