/** The total time limit of one call, merged with the client's own abort signal. */
export interface CallDeadline {
  /** What the request listens to: aborts when the client goes away or the total limit passes. */
  readonly signal: AbortSignal | undefined;
  /** True once the total limit passed first (an earlier client abort stops the clock). */
  readonly expired: boolean;
  /** Stops the clock and lets go of the client's signal; safe to call more than once. */
  clear(): void;
}

/**
 * Starts one timer for the whole call (not one per chunk). The caller must `clear()` it when the
 * call ends however it ends, so no timer outlives its call. Without a total limit the client's signal
 * is used as it is.
 */
export function startCallDeadline(
  clientSignal: AbortSignal | undefined,
  totalMs: number | undefined,
): CallDeadline {
  if (totalMs === undefined) return { signal: clientSignal, expired: false, clear() {} };
  const controller = new AbortController();
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    clearTimeout(timer);
    clientSignal?.removeEventListener('abort', onClientAbort);
  };
  function onClientAbort() {
    clear();
    controller.abort(clientSignal?.reason);
  }
  if (clientSignal?.aborted === true) {
    controller.abort(clientSignal.reason);
  } else {
    clientSignal?.addEventListener('abort', onClientAbort, { once: true });
    timer = setTimeout(() => {
      expired = true;
      clear();
      controller.abort(new Error(`The call ran over its total limit of ${totalMs} ms.`));
    }, totalMs);
  }
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    clear,
  };
}
