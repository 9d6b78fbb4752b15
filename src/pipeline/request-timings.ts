import type { StreamEvent } from '../canonical/stream-event.ts';
import type { ProcessingTime } from '../util/processing-time.ts';

/**
 * The moments of one request, in monotonic milliseconds (protocols.md §6), and the time its
 * stream's stages spent on its chunks (`chunkProcessingMs`, counted until the settlement).
 */
export interface RequestTimings extends ProcessingTime {
  acceptedAt: number;
  /** When the first upstream attempt was sent (the gateway's own work ends here). */
  upstreamSentAt?: number;
  /** When the serving (last) attempt was sent: its time to first byte counts from here. */
  attemptSentAt?: number;
  upstreamHeadersAt?: number | undefined;
  firstTokenAt?: number;
  firstReasoningAt?: number;
  firstContentAt?: number;
  endedAt?: number;
  /**
   * A non-streaming answer: its tokens all arrived at once, so they have no rate (its time to
   * first token is the whole answer's, as a client sees it).
   */
  answeredWhole?: boolean;
}

/** Records the first content, reasoning and text/tool delta times; call once per event. */
export function markFirstToken(timings: RequestTimings, event: StreamEvent, at: number): void {
  switch (event.type) {
    case 'reasoning-delta':
      timings.firstReasoningAt ??= at;
      timings.firstTokenAt ??= at;
      break;
    case 'text-delta':
    case 'refusal-delta':
    case 'tool-call-start':
    case 'tool-call-delta':
      timings.firstContentAt ??= at;
      timings.firstTokenAt ??= at;
      break;
  }
}

export interface TimingSummary {
  timeToFirstTokenMs: number | null;
  timeToFirstReasoningMs: number | null;
  timeToFirstContentMs: number | null;
  upstreamTimeToFirstByteMs: number | null;
  totalMs: number;
  gatewayOverheadMs: number | null;
  tokensPerSecond: number | null;
}

export function summarizeTimings(timings: RequestTimings, outputTokens: number): TimingSummary {
  const end = timings.endedAt ?? timings.acceptedAt;
  const since = (at: number | undefined) =>
    at === undefined ? null : round(at - timings.acceptedAt);
  const generationSeconds =
    timings.firstTokenAt === undefined ? 0 : (end - timings.firstTokenAt) / 1000;
  return {
    timeToFirstTokenMs: since(timings.firstTokenAt),
    timeToFirstReasoningMs: since(timings.firstReasoningAt),
    timeToFirstContentMs: since(timings.firstContentAt),
    upstreamTimeToFirstByteMs:
      timings.upstreamHeadersAt === undefined
        ? null
        : round(timings.upstreamHeadersAt - (timings.attemptSentAt ?? timings.upstreamSentAt ?? 0)),
    totalMs: round(end - timings.acceptedAt),
    // The gateway's own time: before the first upstream call, then on each chunk of the answer.
    gatewayOverheadMs:
      timings.upstreamSentAt === undefined
        ? null
        : round(timings.upstreamSentAt - timings.acceptedAt + (timings.chunkProcessingMs ?? 0)),
    tokensPerSecond:
      timings.answeredWhole !== true && generationSeconds > 0 && outputTokens > 0
        ? round(outputTokens / generationSeconds)
        : null,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
