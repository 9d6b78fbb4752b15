import { GatewayError, toGatewayError } from '../errors/gateway-error.ts';
import type { AttemptRecord } from './attempt-record.ts';
import { CandidateUnusableError } from './candidate-unusable-error.ts';
import type { Deployment } from './deployment.ts';
import type { AttemptVerdict, DeploymentHealth } from './deployment-health.ts';
import { backoffMs, decideAfterFailure, type RetryPolicy } from './retry-policy.ts';

export interface FailoverOptions<T> {
  /** In the order to try them: the model's deployments by priority and weight, then fallbacks'. */
  candidates: readonly Deployment[];
  policy: RetryPolicy;
  health: DeploymentHealth;
  /** Monotonic milliseconds. */
  monotonicMs: () => number;
  /** Monotonic milliseconds when the request was accepted (the budget counts from here). */
  acceptedAtMs: number;
  random: () => number;
  /** Resolves after `ms`, or rejects when `signal` aborts first. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The client's signal: once aborted, no new attempt starts. */
  signal: AbortSignal;
  /** Sends one attempt; resolves with its committed result or throws its failure. */
  /**
   * Makes one attempt. `admitted`: the breaker let it through (false: forced past it because
   * nothing else was admitted), so what happens later to this attempt may be told to the breaker.
   */
  attempt: (deployment: Deployment, admitted: boolean) => Promise<T>;
  /**
   * An attempt that succeeds is not judged yet (a stream that committed may still break): the
   * caller tells the breaker how it ended, for attempts that were admitted.
   */
  verdictAfterSuccess?: boolean;
  /**
   * Receives each attempt's record when it starts (completed when it ends), so a stream settled
   * while its attempt is still committing sees its own record. Default: a new array.
   */
  attempts?: AttemptRecord[];
}

export type FailoverResult<T> =
  | { ok: true; value: T; deployment: Deployment; attempts: AttemptRecord[] }
  | { ok: false; error: GatewayError; attempts: AttemptRecord[] };

interface CandidateState {
  deployment: Deployment;
  tries: number;
  /** Monotonic ms before which this candidate is not tried again. */
  notBefore: number;
  /** Never again in this request (broken credential, unusable, Retry-After beyond reach). */
  out: boolean;
}

/**
 * Walks the candidates until one answers: every candidate once in order, then (attempts and budget
 * permitting) the ones that failed transiently again, soonest-ready first, after their jittered
 * backoff or Retry-After. It stops at the attempt cap, the budget's end, a non-retryable error or
 * the client leaving. The candidate list is finite and each entry is a distinct deployment, so a
 * request can never loop between fallback models; retries of one deployment are bounded by the cap.
 */
export async function runFailover<T>(options: FailoverOptions<T>): Promise<FailoverResult<T>> {
  const { policy, health, monotonicMs, signal } = options;
  const states: CandidateState[] = options.candidates.map((deployment) => ({
    deployment,
    tries: 0,
    notBefore: 0,
    out: false,
  }));
  const attempts: AttemptRecord[] = options.attempts ?? [];
  const deadline = options.acceptedAtMs + policy.budgetMs;
  let lastError: GatewayError | undefined;

  while (attempts.length < policy.maxAttempts) {
    if (signal.aborted) return fail(clientClosed(signal.reason));
    const now = monotonicMs();
    if (attempts.length > 0 && now >= deadline) break;
    const chosen = await choose(now);
    if (chosen === undefined) break;
    if (chosen === 'aborted') return fail(clientClosed(signal.reason));
    const { state, admitted } = chosen;
    const startedAt = monotonicMs();
    const entry = startRecord(state.deployment, startedAt);
    attempts.push(entry);
    try {
      const value = await options.attempt(state.deployment, admitted);
      const endedAt = monotonicMs();
      // An attempt forced past the breaker is not its probe: only the probe's verdict closes it.
      // A committed stream's verdict is its caller's to give, once the stream has ended.
      if (admitted && options.verdictAfterSuccess !== true) {
        health.record(state.deployment.id, { kind: 'success' }, endedAt);
      }
      entry.durationMs = round(endedAt - startedAt);
      return { ok: true, value, deployment: state.deployment, attempts };
    } catch (thrown) {
      const endedAt = monotonicMs();
      if (thrown instanceof CandidateUnusableError) {
        // Nothing was sent: not an attempt, and nothing learned about the deployment.
        attempts.pop();
        if (admitted) health.record(state.deployment.id, { kind: 'neutral' }, endedAt);
        state.out = true;
        // The requested model itself cannot express the request: its refusal is the answer.
        if (thrown.final) return fail(thrown.reason);
        lastError ??= thrown.reason;
        continue;
      }
      const error = signal.aborted ? clientClosed(thrown) : toGatewayError(thrown);
      entry.durationMs = round(endedAt - startedAt);
      entry.outcome = error.code === 'GW_ERR_CLIENT_CLOSED' ? 'client_closed' : 'error';
      entry.errorCode = error.code;
      entry.upstreamStatus = error.upstreamStatus ?? null;
      lastError = error;
      const decision = decideAfterFailure(error);
      const verdict = verdictFor(error, decision);
      if (admitted) health.record(state.deployment.id, verdict, endedAt, error.message);
      else if (verdict.kind === 'transient' && verdict.retryAfterMs !== undefined) {
        // A forced attempt only teaches the cool-down a provider asked for (not the probe's verdict).
        health.record(
          state.deployment.id,
          { kind: 'cooling', retryAfterMs: verdict.retryAfterMs },
          endedAt,
        );
      }
      if (decision === 'stop') return fail(error);
      state.tries += 1;
      // A deployment that let one of our limits run out (silent before its first byte, stalled)
      // would likely cost the whole limit again: another may serve, this one not again (test plan
      // B6). A provider's own 408/504 answer is an ordinary transient failure.
      const ranOut = error.code === 'GW_ERR_UPSTREAM_TIMEOUT' && error.upstreamStatus === undefined;
      if (decision === 'skip-deployment' || ranOut) {
        state.out = true;
        continue;
      }
      const retryAfterMs = (error.retryAfterSeconds ?? 0) * 1000;
      if (retryAfterMs > policy.maxRetryWaitMs) state.out = true;
      state.notBefore =
        endedAt + Math.max(retryAfterMs, backoffMs(policy, state.tries, options.random));
    }
  }
  return fail(
    lastError ??
      coolingError(monotonicMs()) ??
      new GatewayError(
        'GW_ERR_UPSTREAM_UNREACHABLE',
        'No deployment of this model is in service right now: each was taken out after failing (a provider key rejected, or repeated errors). Try again later, or another model.',
      ),
  );

  /**
   * Nothing was tried because every candidate's provider asked for a pause (Retry-After): a 429
   * that passes on the soonest one's remaining wait, so the client waits rather than the gateway
   * calling again early.
   */
  function coolingError(now: number): GatewayError | undefined {
    let soonest: number | undefined;
    for (const state of states) {
      const until = health.coolingUntil(state.deployment.id, now);
      if (until !== undefined && (soonest === undefined || until < soonest)) soonest = until;
    }
    if (soonest === undefined || attempts.length > 0) return undefined;
    return new GatewayError(
      'GW_ERR_UPSTREAM_RATE_LIMITED',
      'Every deployment of this model is rate limited by its provider right now. Retry after the time given.',
      { retryAfterSeconds: Math.max(1, Math.ceil((soonest - now) / 1000)) },
    );
  }

  function fail(error: GatewayError): FailoverResult<T> {
    return { ok: false, error, attempts };
  }

  /**
   * The next candidate: the first untried one the breakers admit; else, if nothing was tried yet,
   * the first not switched off for a broken credential (with no healthy alternative, trying a
   * tripped deployment beats refusing outright); else the soonest-ready transient failure whose
   * wait fits the budget, waited for.
   */
  async function choose(
    now: number,
  ): Promise<{ state: CandidateState; admitted: boolean } | 'aborted' | undefined> {
    for (const state of states) {
      if (state.out || state.tries > 0) continue;
      if (health.tryAcquire(state.deployment.id, now)) return { state, admitted: true };
    }
    if (attempts.length === 0) {
      // Never one its provider asked to leave alone for now (Retry-After), breaker or not.
      const forced = states.find(
        (state) =>
          !state.out &&
          health.stateOf(state.deployment.id) !== 'disabled' &&
          health.coolingUntil(state.deployment.id, now) === undefined,
      );
      if (forced !== undefined) return { state: forced, admitted: false };
    }
    for (;;) {
      let soonest: CandidateState | undefined;
      for (const state of states) {
        if (state.out || state.tries === 0) continue;
        if (soonest === undefined || state.notBefore < soonest.notBefore) soonest = state;
      }
      if (soonest === undefined) return undefined;
      const wait = soonest.notBefore - monotonicMs();
      if (soonest.notBefore >= deadline || wait > policy.maxRetryWaitMs) return undefined;
      // A timer can fire a little before the monotonic clock reaches its target (libuv measures
      // from its cached loop time), and a deployment's Retry-After cool-down ends exactly at
      // `notBefore`: waking early, tryAcquire would still see it cooling and drop it.
      for (let remaining = wait; remaining > 0; remaining = soonest.notBefore - monotonicMs()) {
        try {
          await options.sleep(remaining, signal);
        } catch {
          return 'aborted';
        }
      }
      if (health.tryAcquire(soonest.deployment.id, monotonicMs()))
        return { state: soonest, admitted: true };
      // Its breaker opened meanwhile (other requests saw it fail): not this one again.
      soonest.out = true;
    }
  }

  function startRecord(deployment: Deployment, startedAt: number): AttemptRecord {
    return {
      deploymentId: deployment.id,
      modelId: deployment.modelId,
      provider: deployment.provider,
      upstreamModel: deployment.upstreamModel,
      outcome: 'ok',
      errorCode: null,
      upstreamStatus: null,
      startMs: round(startedAt - options.acceptedAtMs),
      durationMs: 0,
    };
  }
}

function verdictFor(
  error: GatewayError,
  decision: ReturnType<typeof decideAfterFailure>,
): AttemptVerdict {
  if (error.code === 'GW_ERR_CLIENT_CLOSED') return { kind: 'neutral' };
  if (decision === 'skip-deployment') return { kind: 'credential' };
  if (decision === 'retry') {
    return error.retryAfterSeconds === undefined
      ? { kind: 'transient' }
      : { kind: 'transient', retryAfterMs: error.retryAfterSeconds * 1000 };
  }
  // The deployment answered; the request itself was refused.
  return { kind: 'success' };
}

function clientClosed(cause: unknown): GatewayError {
  if (cause instanceof GatewayError && cause.code === 'GW_ERR_CLIENT_CLOSED') return cause;
  return new GatewayError('GW_ERR_CLIENT_CLOSED', 'The client closed the request.', { cause });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
