export interface FailureRateLimiter {
  /** Seconds until the next attempt is allowed for this key, or 0 when it is allowed now. */
  retryAfterSeconds(key: string): number;
  recordFailure(key: string): void;
  /** Forgets the key's failures (a successful console login does). */
  reset(key: string): void;
}

export interface FailureRateLimiterOptions {
  /** Failures allowed within the window; the next attempt is refused. */
  maxFailures: number;
  windowMs: number;
  /** Keys tracked at most; the least recently failed are forgotten first. */
  maxKeys: number;
  /** Monotonic or wall clock, milliseconds. */
  nowMs: () => number;
}

/**
 * Failures per key in a sliding window (console logins per email and client address; bad
 * credentials per client address), in this process's memory: several gateway instances each count
 * their own, and a restart forgets. Bounded, so a flood of invented keys cannot grow it without
 * limit.
 */
export function createFailureRateLimiter(options: FailureRateLimiterOptions): FailureRateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = options.nowMs() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfterSeconds(key) {
      if (!failures.has(key)) return 0;
      const kept = recent(key);
      if (kept.length < options.maxFailures) return 0;
      // Allowed again when enough of the window's failures have aged out of it.
      const freeing = kept[kept.length - options.maxFailures] ?? options.nowMs();
      return Math.max(1, Math.ceil((freeing + options.windowMs - options.nowMs()) / 1000));
    },
    recordFailure(key) {
      const kept = recent(key);
      failures.delete(key);
      failures.set(key, [...kept, options.nowMs()].slice(-options.maxFailures));
      while (failures.size > options.maxKeys) {
        const oldest = failures.keys().next().value;
        if (oldest === undefined) break;
        failures.delete(oldest);
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
