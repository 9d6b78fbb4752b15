/** Who is asking, as the server authenticated them, and the policy attached to their key. */
export interface RequestIdentity {
  accountId: string;
  keyId: string;
  /** Public model ids this key may use; null = every model. */
  allowedModels: readonly string[] | null;
  monthlySpendCapMicros: bigint | null;
}

/** Per-request facts the server hands the pipeline. */
export interface RequestContext {
  /** The gateway's request id (`req_…`): the hold, the charge and the usage row all carry it. */
  requestId: string;
  identity: RequestIdentity;
  /** Monotonic milliseconds when the request was accepted (the start of TTFT). */
  acceptedAt: number;
  /** Aborted when the client goes away (streams only; see docs/decisions/0002). */
  signal: AbortSignal;
  /** `x-shepherd-fallback: none` keeps the request on its own model's deployments. Default: configured. */
  fallback?: 'configured' | 'none';
}

/** Time sources, injected so the pipeline itself does no clock I/O. */
export interface PipelineClock {
  /** Monotonic milliseconds (performance.now()). */
  monotonicMs(): number;
  now(): Date;
}
