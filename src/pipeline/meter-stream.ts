import { estimatePartialUsage } from '../accounting/estimate-partial-usage.ts';
import { isContentEvent, type StreamEvent } from '../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../canonical/usage.ts';
import { toGatewayError } from '../errors/gateway-error.ts';
import type { BillingSession, SettleOutcome } from './billing-session.ts';
import type { PipelineClock } from './request-context.ts';
import { markFirstToken, type RequestTimings } from './request-timings.ts';

/**
 * Passes a stream through while recording what billing and metrics need (timings, chunks, usage,
 * the text delivered). At `response-end` it settles and emits a `charge` event just before it; a
 * stream that fails, is cut, or is abandoned by its consumer settles in `finally`, from the
 * provider's usage when it arrived, else from an estimate of what was delivered (flagged).
 */
export async function* meterStream(options: {
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
}): AsyncGenerator<StreamEvent> {
  const { session, clock, timings, served } = options;
  let sawContent = false;
  let deferred = false;
  let usage: Usage | undefined;
  let chunks = 0;
  // Delivered text is kept as pieces and joined only if an estimate is needed.
  const delivered: string[] = [];
  let outcome: Pick<SettleOutcome, 'status' | 'errorCode'> = {
    status: 'client_closed',
    errorCode: 'GW_ERR_CLIENT_CLOSED',
  };

  const settle = (status: Pick<SettleOutcome, 'status' | 'errorCode'>) => {
    const reported = usage !== undefined && status.status === 'ok';
    const billed: Usage = reported
      ? (usage as Usage)
      : delivered.length === 0 && usage === undefined
        ? { ...EMPTY_USAGE }
        : estimatePartialUsage({
            reportedUsage: usage,
            promptTokensEstimate: session.promptTokensEstimate,
            deliveredText: delivered.join(''),
          });
    return session.settle({
      ...status,
      ...served,
      usage: billed,
      estimated: !reported && billed.outputTokens + billed.inputTokens > 0,
      chunks,
      timings,
    });
  };

  try {
    for await (const event of options.events) {
      if (isContentEvent(event)) {
        sawContent = true;
        chunks += 1;
        markFirstToken(timings, event, clock.monotonicMs());
        if (event.type === 'text-delta' || event.type === 'reasoning-delta')
          delivered.push(event.text);
        else if (event.type === 'tool-call-delta') delivered.push(event.argumentsDelta);
        else if (event.type === 'tool-call-start') delivered.push(event.name);
      } else if (event.type === 'usage') usage = event.usage;
      else if (event.type === 'response-end') {
        outcome = { status: 'ok', errorCode: null };
        const charge = await settle(outcome);
        if (charge !== undefined) yield { type: 'charge', ...charge };
      }
      yield event;
    }
  } catch (error) {
    const gatewayError = toGatewayError(error);
    outcome =
      gatewayError.code === 'GW_ERR_CLIENT_CLOSED'
        ? { status: 'client_closed', errorCode: gatewayError.code }
        : { status: 'error', errorCode: gatewayError.code };
    if (options.deferFailureBeforeContent === true && !sawContent) {
      deferred = true;
    }
    throw error;
  } finally {
    // No-op when already settled at response-end; otherwise the one settlement of this request.
    if (!deferred) await settle(outcome);
  }
}
