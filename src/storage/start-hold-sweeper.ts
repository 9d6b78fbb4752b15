import type { LedgerStore } from './ledger-store.ts';

export interface HoldSweeper {
  /** Expires every hold past its deadline now; resolves with how many. */
  sweepNow(): Promise<number>;
  stop(): void;
}

/**
 * Expires holds whose request died without settling (a crash, a hung upstream past its TTL), so
 * their credit is released (ledger.md I7). The timer does not keep the process alive.
 */
export function startHoldSweeper(options: {
  store: Pick<LedgerStore, 'expireHolds'>;
  intervalMs: number;
  onError: (error: unknown) => void;
  now?: () => Date;
}): HoldSweeper {
  const now = options.now ?? (() => new Date());
  const sweepNow = () => options.store.expireHolds(now());
  const timer = setInterval(() => {
    sweepNow().catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return { sweepNow, stop: () => clearInterval(timer) };
}
