export interface RateLimiter {
  /**
   * Seconds until the next attempt is allowed for this key, or 0 when it is allowed now. A key
   * with nothing recorded costs one map lookup: the API-key check asks this on every request.
   */
  retryAfterSeconds(key: string): number;
  /** Counts one event (a failed login, an invalid credential, an account made) against the key. */
  record(key: string): void;
  /** Forgets the key's events (a successful console login does). */
  reset(key: string): void;
}

export interface RateLimiterOptions {
  /** Events allowed within the window; the next attempt is refused. */
  maxEvents: number;
  windowMs: number;
  /** Keys tracked at most; the least recently recorded are forgotten first. */
  maxKeys: number;
  /** Monotonic or wall clock, milliseconds. */
  nowMs: () => number;
}

/**
 * Events per key in a sliding window (failed console logins per email and client address, invalid
 * credentials per client address, self-signups per client address), in this process's memory:
 * several gateway instances each count their own, and a restart forgets. Bounded, so a flood of
 * invented keys cannot grow it without limit.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const events = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = options.nowMs() - options.windowMs;
    const kept = (events.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) events.delete(key);
    else events.set(key, kept);
    return kept;
  };
  return {
    retryAfterSeconds(key) {
      if (!events.has(key)) return 0;
      const kept = recent(key);
      if (kept.length < options.maxEvents) return 0;
      // Allowed again when enough of the window's events have aged out of it.
      const freeing = kept[kept.length - options.maxEvents] ?? options.nowMs();
      return Math.max(1, Math.ceil((freeing + options.windowMs - options.nowMs()) / 1000));
    },
    record(key) {
      const kept = recent(key);
      events.delete(key);
      events.set(key, [...kept, options.nowMs()].slice(-options.maxEvents));
      while (events.size > options.maxKeys) {
        const oldest = events.keys().next().value;
        if (oldest === undefined) break;
        events.delete(oldest);
      }
    },
    reset(key) {
      events.delete(key);
    },
  };
}
