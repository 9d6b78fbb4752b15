import { setTimeout as delay } from 'node:timers/promises';
import { GatewayError } from '../errors/gateway-error.ts';

/**
 * Waits before each new try of a settle the database refused: about 8 s in all, long enough to ride
 * out a PostgreSQL restart or a killed connection (the pool opens a new one), short enough that a
 * client waiting for its answer or its stream's last chunk is not left hanging.
 */
export const SETTLE_RETRY_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000, 4_000];

/**
 * Runs `settle` until the database takes it. Trying again is safe: a settle is idempotent on its
 * `usage:<request id>` key, so one whose COMMIT went through before the connection broke finds
 * itself already settled. Without the retries a momentary outage lost the charge: the hold stayed
 * open until the sweeper expired it and released the credit the provider had billed. When every
 * try failed, the request ends with 503 `service_unavailable`.
 */
export function settleWithRetries<T>(
  settle: () => Promise<T>,
  delaysMs: readonly number[] = SETTLE_RETRY_DELAYS_MS,
): Promise<T> {
  // The first try as it is, with a `catch`: the usual settle costs no async frame of its own.
  let first: Promise<T>;
  try {
    first = settle();
  } catch (error) {
    first = Promise.reject(error);
  }
  return first.catch(async (error: unknown) => {
    const firstWait = delaysMs[0];
    if (firstWait === undefined) throw unavailable(error);
    await delay(firstWait);
    return retry(settle, delaysMs);
  });
}

async function retry<T>(settle: () => Promise<T>, delaysMs: readonly number[]): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await settle();
    } catch (error) {
      const waitMs = delaysMs[tries];
      if (waitMs === undefined) throw unavailable(error);
      await delay(waitMs);
    }
  }
}

function unavailable(error: unknown): GatewayError {
  return new GatewayError(
    'GW_ERR_STORAGE_UNAVAILABLE',
    "The gateway's database is unavailable, so this answer could not be recorded and was not charged. Try again shortly.",
    { cause: error },
  );
}
