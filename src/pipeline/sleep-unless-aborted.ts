import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; rejects as soon as `signal` aborts (the client left during a retry backoff). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
