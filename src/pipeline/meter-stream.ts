import { estimatePartialUsage } from '../accounting/estimate-partial-usage.ts';
import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../canonical/usage.ts';
import { toGatewayError } from '../errors/gateway-error.ts';
import type { BillingSession, SettleOutcome } from './billing-session.ts';
import type { PipelineClock } from './request-context.ts';
import { markFirstToken, type RequestTimings } from './request-timings.ts';

/** A stream of events whose consumer may stop it early. */
export interface ClosableEventStream extends AsyncIterableIterator<StreamEvent> {
  return(): Promise<IteratorResult<StreamEvent>>;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Passes a stream through while recording what billing and metrics need (timings, chunks, usage,
 * the text delivered). At `response-end` it settles and emits a `charge` event just before it; a
 * stream that fails, is cut, or is abandoned by its consumer (`return()`) settles then, before the
 * failure or the return reaches the consumer, from the provider's usage when it arrived, else
 * from an estimate of what was delivered (flagged).
 *
 * Written as a plain iterator rather than an async generator: each event costs one `then` on the
 * source's promise instead of a generator's several hops (this runs once per token). Like a
 * generator, it expects one call at a time.
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
}): ClosableEventStream {
  const { session, clock, timings, served } = options;
  const source = options.events[Symbol.asyncIterator]();
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
  /** `response-end`, held back while its `charge` event goes out first. */
  let heldEnd: StreamEvent | undefined;

  const settle = () => {
    const reported = usage !== undefined && outcome.status === 'ok';
    const billed: Usage =
      reported && usage !== undefined
        ? usage
        : delivered.length === 0 && usage === undefined
          ? { ...EMPTY_USAGE }
          : estimatePartialUsage({
              reportedUsage: usage,
              promptTokensEstimate: session.promptTokensEstimate,
              deliveredText: delivered.join(''),
            });
    return session.settle({
      ...outcome,
      ...served,
      usage: billed,
      estimated: !reported && billed.outputTokens + billed.inputTokens > 0,
      chunks,
      timings,
    });
  };

  const onFailure = async (error: unknown): Promise<never> => {
    closed = true;
    const { code } = toGatewayError(error);
    outcome =
      code === 'GW_ERR_CLIENT_CLOSED'
        ? { status: 'client_closed', errorCode: code }
        : { status: 'error', errorCode: code };
    if (options.deferFailureBeforeContent !== true || sawContent) await settle();
    throw error;
  };

  const chargeBefore = async (end: StreamEvent): Promise<IteratorResult<StreamEvent>> => {
    outcome = { status: 'ok', errorCode: null };
    const charge = await settle();
    if (charge === undefined) return { done: false, value: end };
    heldEnd = end;
    return { done: false, value: { type: 'charge', ...charge } };
  };

  const onResult = (
    result: IteratorResult<StreamEvent>,
  ): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> => {
    if (result.done === true) {
      closed = true;
      return settle().then(() => DONE);
    }
    const event = result.value;
    if (isContentEvent(event)) {
      sawContent = true;
      chunks += 1;
      // Only the first content (and first reasoning) moments are kept: no clock read after them.
      const marked =
        event.type === 'reasoning-delta' ? timings.firstReasoningAt : timings.firstContentAt;
      if (marked === undefined) markFirstToken(timings, event, clock.monotonicMs());
      if (event.type === 'text-delta' || event.type === 'reasoning-delta')
        delivered.push(event.text);
      else if (event.type === 'tool-call-delta') delivered.push(event.argumentsDelta);
      else if (event.type === 'tool-call-start') delivered.push(event.name);
    } else if (event.type === 'usage') usage = event.usage;
    else if (event.type === 'response-end') return chargeBefore(event).catch(onFailure);
    return result;
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (heldEnd !== undefined) {
        const value = heldEnd;
        heldEnd = undefined;
        return Promise.resolve({ done: false, value });
      }
      if (closed) return Promise.resolve(DONE);
      return source.next().then(onResult, onFailure);
    },
    async return() {
      heldEnd = undefined;
      if (closed) return DONE;
      closed = true;
      // The settlement runs even when closing the source fails, as a generator's `finally` would.
      try {
        await source.return?.();
      } finally {
        await settle();
      }
      return DONE;
    },
  };
}
