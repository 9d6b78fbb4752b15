import { estimatePartialUsage } from '../accounting/estimate-partial-usage.ts';
import {
  DONE,
  iterateSelf,
  nextOfPullStream,
  type PullStream,
  READY,
  toPullStream,
} from '../canonical/pull-stream.ts';
import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../canonical/usage.ts';
import { type GatewayError, toGatewayError } from '../errors/gateway-error.ts';
import type { BillingSession, SettleOutcome } from './billing-session.ts';
import type { PipelineClock } from './request-context.ts';
import { markFirstToken, type RequestTimings } from './request-timings.ts';

/** How a stream that delivered content ended, for the deployment's breaker. */
export type StreamVerdict =
  | { kind: 'success' }
  | { kind: 'failure'; error: GatewayError }
  | { kind: 'neutral' };

/** A stream of events whose consumer may stop it early. */
export type ClosableEventStream = PullStream<StreamEvent>;

/**
 * Passes a stream through while recording what billing and metrics need (timings, chunks, usage,
 * the text delivered). At `response-end` it settles and emits a `charge` event just before it; a
 * stream that fails, is cut, or is abandoned by its consumer (`return()`) settles then, before the
 * failure or the return reaches the consumer, from the provider's usage when it arrived, else
 * from an estimate of what was delivered (flagged).
 *
 * A `PullStream`: events pass through `takeNow` synchronously (this runs once per token), and
 * only a settlement makes the reader wait, in `whenReady`. Like a generator, it expects one call
 * at a time.
 */
export function meterStream(options: {
  events: AsyncIterable<StreamEvent>;
  session: BillingSession;
  clock: PipelineClock;
  timings: RequestTimings;
  served: Pick<SettleOutcome, 'servedModel' | 'provider' | 'upstreamModel' | 'attempts'>;
  /**
   * A failure before the first content is left to the caller (the failover walk tries another
   * deployment and settles the request itself): no settlement then.
   */
  deferFailureBeforeContent?: boolean;
  /**
   * Told, on such a deferred failure, the usage the provider had reported by then (none: not
   * called), so the caller can bill that attempt (ledger.md I11).
   */
  onDeferredUsage?: (usage: Usage) => void;
  /**
   * Told once how the stream ended after it was committed to: `success` at its end, `failure`
   * when the provider's side broke it after its first content, `neutral` when the client left (or
   * it stopped without an end).
   */
  onEndAfterCommit?: (verdict: StreamVerdict) => void;
}): ClosableEventStream {
  const { session, clock, timings, served } = options;
  const source = toPullStream(options.events);
  let sawContent = false;
  let usage: Usage | undefined;
  let chunks = 0;
  // Delivered text is kept as pieces and joined only if an estimate is needed.
  const delivered: string[] = [];
  let outcome: Pick<SettleOutcome, 'status' | 'errorCode'> = {
    status: 'client_closed',
    errorCode: 'GW_ERR_CLIENT_CLOSED',
  };
  /** The source is done (ended, failed or returned): nothing more is read from it. */
  let closed = false;
  /** Results a settlement produced (the charge, the end it held back, the stream's end). */
  const settled: Array<IteratorResult<StreamEvent>> = [];
  /** Thrown once the settlement before it is over. */
  let failure: { error: unknown } | undefined;
  /** A settlement in progress: the reader waits for it. Never rejects. */
  let settling: Promise<void> | undefined;
  /** Everything was handed out, the failure included. */
  let over = false;

  let judged = false;
  /** Once per stream; a failure before content is not judged here (the walk retries it). */
  const judge = (verdict: StreamVerdict) => {
    if (judged) return;
    judged = true;
    options.onEndAfterCommit?.(verdict);
  };

  /** What the request is billed: the provider's usage when it ended well, else an estimate. */
  const billedUsage = (): Usage => {
    if (usage !== undefined && outcome.status === 'ok') return usage;
    if (delivered.length === 0 && usage === undefined) return { ...EMPTY_USAGE };
    return estimatePartialUsage({
      reportedUsage: usage,
      promptTokensEstimate: session.promptTokensEstimate,
      deliveredText: delivered.join(''),
    });
  };

  const settle = (billed: Usage = billedUsage()) => {
    const reported = usage !== undefined && outcome.status === 'ok';
    // Every field written out: a literal that starts with a spread is slow in V8 (docs/decisions/0007).
    return session.settle({
      status: outcome.status,
      errorCode: outcome.errorCode,
      servedModel: served.servedModel,
      provider: served.provider,
      upstreamModel: served.upstreamModel,
      attempts: served.attempts,
      usage: billed,
      estimated: !reported && billed.outputTokens + billed.inputTokens > 0,
      chunks,
      timings,
    });
  };

  /** Runs `work`, then whatever it leads to, while the reader waits in `whenReady`. */
  const wait = (work: Promise<unknown>) => {
    settling = work.then(
      () => {
        settling = undefined;
      },
      (error: unknown) => {
        settling = undefined;
        failure = { error };
      },
    );
  };

  /**
   * The source failed (or the charge could not be made): the settlement to wait for when it is
   * this stream's to make, after which the failure is thrown.
   */
  const fail = (error: unknown): Promise<void> | undefined => {
    closed = true;
    const typed = toGatewayError(error);
    const { code } = typed;
    outcome =
      code === 'GW_ERR_CLIENT_CLOSED'
        ? { status: 'client_closed', errorCode: code }
        : { status: 'error', errorCode: code };
    if (sawContent) {
      judge(
        code === 'GW_ERR_CLIENT_CLOSED' ? { kind: 'neutral' } : { kind: 'failure', error: typed },
      );
    }
    if (options.deferFailureBeforeContent === true && !sawContent) {
      if (usage !== undefined) options.onDeferredUsage?.(usage);
      failure = { error };
      return undefined;
    }
    return settle().then(() => {
      failure = { error };
    });
  };

  const chargeBefore = (end: StreamEvent) => {
    outcome = { status: 'ok', errorCode: null };
    judge({ kind: 'success' });
    const billed = billedUsage();
    wait(
      settle(billed).then((charge) => {
        // A provider that reported no usage (a server that ignores `stream_options`) is billed an
        // estimate: the client's usage chunk then reports that estimate, not zero tokens.
        if (usage === undefined && billed.inputTokens + billed.outputTokens > 0) {
          settled.push({ done: false, value: { type: 'usage', usage: billed } });
        }
        if (charge !== undefined) {
          settled.push({ done: false, value: { type: 'charge', ...charge } });
        }
        settled.push({ done: false, value: end });
      }, fail),
    );
  };

  /** Records one event; false when it must wait for a settlement (`response-end`). */
  const record = (event: StreamEvent): boolean => {
    if (isContentEvent(event)) {
      sawContent = true;
      chunks += 1;
      // Only the first content (and first reasoning) moments are kept: no clock read after them.
      const marked =
        event.type === 'reasoning-delta' ? timings.firstReasoningAt : timings.firstContentAt;
      if (marked === undefined) markFirstToken(timings, event, clock.monotonicMs());
      if (
        event.type === 'text-delta' ||
        event.type === 'reasoning-delta' ||
        event.type === 'refusal-delta'
      )
        delivered.push(event.text);
      else if (event.type === 'tool-call-delta') delivered.push(event.argumentsDelta);
      else if (event.type === 'tool-call-start') delivered.push(event.name);
    } else if (event.type === 'usage') usage = event.usage;
    else if (event.type === 'response-end') {
      chargeBefore(event);
      return false;
    }
    return true;
  };

  const stream: ClosableEventStream = {
    [Symbol.asyncIterator]: iterateSelf,
    takeNow() {
      for (;;) {
        if (settling !== undefined) return undefined;
        const ready = settled.shift();
        if (ready !== undefined) return ready;
        if (failure !== undefined) {
          const { error } = failure;
          failure = undefined;
          over = true;
          throw error;
        }
        if (over) return DONE;
        if (closed) {
          over = true;
          return DONE;
        }
        let result: IteratorResult<StreamEvent> | undefined;
        try {
          result = source.takeNow();
        } catch (error) {
          const settlement = fail(error);
          if (settlement !== undefined) wait(settlement);
          continue;
        }
        if (result === undefined) return undefined;
        if (result.done === true) {
          closed = true;
          judge({ kind: 'neutral' });
          wait(settle());
          continue;
        }
        if (record(result.value)) return result;
      }
    },
    whenReady() {
      if (settling !== undefined) return settling;
      if (closed || over || failure !== undefined || settled.length > 0) return READY;
      return source.whenReady();
    },
    next() {
      return nextOfPullStream(stream);
    },
    async return() {
      await settling;
      settled.length = 0;
      failure = undefined;
      over = true;
      judge({ kind: 'neutral' });
      if (closed) return DONE;
      closed = true;
      // The settlement runs even when closing the source fails, as a generator's `finally` would.
      try {
        await source.return();
      } finally {
        await settle();
      }
      return DONE;
    },
  };
  return stream;
}
