import { median } from './statistics.ts';

/** One moment recorded by `bench/child/first-token-trace-preload.ts`. */
export interface TraceEvent {
  kind: 'request' | 'send' | 'receive' | 'receive-content';
  /** Monotonic clock, microseconds: the same clock in every process of the machine. */
  atMicros: number;
}

/** A garbage collection the target's preload observed: when it started and how long it took. */
export interface GcPause {
  /** Monotonic clock, microseconds, as `TraceEvent.atMicros`. */
  atMicros: number;
  durationMicros: number;
}

/** Where one request's time to first token went, in microseconds. */
export interface FirstTokenSegments {
  /** The client wrote its request → the target's server had its headers. */
  clientToTarget: number;
  /** The target had the request → it wrote its upstream request. */
  targetBeforeUpstream: number;
  /** The upstream request was written → the target read the upstream's first content. */
  upstream: number;
  /** The target read the first content → the client read it (the target's work and delivery). */
  targetAfterUpstream: number;
  /** The client wrote its request → it read the first content. */
  total: number;
  /**
   * From the client's request to its reading the first content, how long the target's garbage
   * collector ran (pauses given to `decomposeFirstToken`; 0 without them). From the request, not
   * from the target's having it: a target busy collecting reads its request late.
   */
  targetGc: number;
}

export const SEGMENT_NAMES = [
  'clientToTarget',
  'targetBeforeUpstream',
  'upstream',
  'targetAfterUpstream',
  'total',
  'targetGc',
] as const satisfies ReadonlyArray<keyof FirstTokenSegments>;

/**
 * Follows each request of a one-at-a-time run through the client's and the target's events
 * (both traced over the same window): a client request starts at its first write after a read
 * (or at the window's first write), and each later moment is the first of its kind after the one
 * before, within that request. A request missing any moment (it failed, or the window cut it) is
 * left out rather than guessed.
 */
export function decomposeFirstToken(options: {
  client: readonly TraceEvent[];
  target: readonly TraceEvent[];
  fromMicros: number;
  toMicros: number;
  /** The target's garbage collections, if traced. */
  targetGc?: readonly GcPause[];
}): FirstTokenSegments[] {
  const pauses = options.targetGc ?? [];
  const inWindow = (event: TraceEvent) =>
    event.atMicros >= options.fromMicros && event.atMicros <= options.toMicros;
  const client = options.client.filter(inWindow);
  const target = options.target.filter(inWindow);
  const starts: number[] = [];
  let lastWasSend = false;
  for (const event of client) {
    if (event.kind === 'send' && !lastWasSend) starts.push(event.atMicros);
    lastWasSend = event.kind === 'send';
  }
  const segments: FirstTokenSegments[] = [];
  for (let index = 0; index < starts.length; index++) {
    const sent = starts[index] ?? 0;
    const end = starts[index + 1] ?? options.toMicros;
    const firstAfter = (events: readonly TraceEvent[], kind: TraceEvent['kind'], from: number) =>
      events.find((event) => event.kind === kind && event.atMicros >= from && event.atMicros < end)
        ?.atMicros;
    const received = firstAfter(client, 'receive-content', sent);
    const arrived = firstAfter(target, 'request', sent);
    const forwarded = arrived === undefined ? undefined : firstAfter(target, 'send', arrived);
    const answered =
      forwarded === undefined ? undefined : firstAfter(target, 'receive-content', forwarded);
    if (received === undefined || arrived === undefined || forwarded === undefined) continue;
    if (answered === undefined || answered > received) continue;
    segments.push({
      clientToTarget: arrived - sent,
      targetBeforeUpstream: forwarded - arrived,
      upstream: answered - forwarded,
      targetAfterUpstream: received - answered,
      total: received - sent,
      targetGc: gcWithin(pauses, sent, received),
    });
  }
  return segments;
}

/** The median of each segment over the requests. */
export function medianSegments(segments: readonly FirstTokenSegments[]): FirstTokenSegments {
  const of = (name: keyof FirstTokenSegments) => median(segments.map((segment) => segment[name]));
  return {
    clientToTarget: of('clientToTarget'),
    targetBeforeUpstream: of('targetBeforeUpstream'),
    upstream: of('upstream'),
    targetAfterUpstream: of('targetAfterUpstream'),
    total: of('total'),
    targetGc: of('targetGc'),
  };
}

/** Microseconds of the pauses that overlap `[from, to]`, counting only the overlap. */
function gcWithin(pauses: readonly GcPause[], from: number, to: number): number {
  let total = 0;
  for (const pause of pauses) {
    const start = Math.max(from, pause.atMicros);
    const end = Math.min(to, pause.atMicros + pause.durationMicros);
    if (end > start) total += end - start;
  }
  return total;
}

/**
 * The median of each segment over the slowest `share` of the requests by total (at least one):
 * where a tail's time goes, which the medians of all requests cannot say.
 */
export function slowestSegments(
  segments: readonly FirstTokenSegments[],
  share: number,
): FirstTokenSegments {
  const count = Math.max(1, Math.round(segments.length * share));
  const slowest = [...segments].sort((left, right) => right.total - left.total).slice(0, count);
  return medianSegments(slowest);
}
