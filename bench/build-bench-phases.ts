import {
  ANTHROPIC_MODEL,
  FAILING_UPSTREAM_MODEL,
  FAILING_UPSTREAM_STATUS,
  FAILOVER_MODEL,
  INSTANT_OPENAI_MODEL,
  PACED_OPENAI_MODEL,
  SLOW_STREAM_MODEL,
  SLOW_STREAM_TOKENS,
} from './bench-models.ts';
import type { LoadJob, TargetRequest } from './load/load-jobs.ts';
import type { BenchSettings } from './read-bench-settings.ts';

/**
 * Every process a phase can measure: the simulator itself, the pass-through proxy, the gateway
 * (everything on, as shipped), the Portkey gateway (the peer, when it could be installed) and, for
 * the billing phase only, the same Shepherd gateway twice more: with `billing.enabled: false` and
 * with billing on.
 */
export const ALL_TARGETS = ['direct', 'proxy', 'gateway', 'portkey', 'unbilled', 'billed'] as const;
export type TargetName = (typeof ALL_TARGETS)[number];
/** The targets of the throughput, streaming, latency and first-token phases, in round order. */
export const TARGET_NAMES = [
  'direct',
  'proxy',
  'gateway',
  'portkey',
] as const satisfies TargetName[];
/**
 * The billing phase: the same gateway without and with billing, in this order each round, two
 * processes that serve only this phase. Both idle through the rest of each round alike; the
 * everything-on gateway, busy in every other phase, would be compared with a process that was not.
 */
export const BILLING_TARGETS = ['unbilled', 'billed'] as const satisfies TargetName[];
/** The phase that needs the `unbilled` and `billed` gateways. */
export const BILLING_PHASE_ID = 'billing';
/** The phase that holds thousands of streams open (run once, after the rounds). */
export const SLOW_STREAMS_PHASE_ID = 'slow-streams';
/** Phases that measure Portkey, so it is installed and started only when one of them runs. */
export const PORTKEY_PHASE_IDS = [
  'requests',
  'openai-stream',
  'anthropic-stream',
  'openai-ttft',
  'anthropic-ttft',
  'latency',
  SLOW_STREAMS_PHASE_ID,
];

export interface TargetEndpoint {
  origin: string;
  /** The Shepherd API key (gateway); the simulator accepts any key. */
  apiKey?: string;
  /**
   * Portkey only: the provider base URL it forwards to (the simulator's `/v1`), named per request
   * in its `x-portkey-custom-host` header beside `x-portkey-provider`.
   */
  portkeyUpstream?: string;
}

export type PhaseKind = 'requests' | 'streams' | 'first-token' | 'latency' | 'billing' | 'failover';

export interface BenchPhase {
  id: string;
  kind: PhaseKind;
  title: string;
  /** Measured in this order, interleaved, every round. */
  targets: readonly TargetName[];
  /** Unmeasured load just before the window, so every target starts on warm connections. */
  warmup?: (target: TargetName) => LoadJob;
  job: (target: TargetName) => LoadJob;
  /** Sample the resident set of the process under test during the window (its peak). */
  sampleMemory?: boolean;
}

/** Answer length of the non-streaming and first-token requests. */
const SHORT_ANSWER_TOKENS = 16;
const FIRST_TOKEN_ANSWER_TOKENS = 6;
const ANTHROPIC_MAX_TOKENS = 8_192;
const SIMULATOR_KEY = 'simulator';

function prompt(tokens: number): string {
  return `Benchmark request from Shepherd's bench. [simulate tokens=${tokens}]`;
}

/** Portkey's routing headers (names as its source spells them: `x-${'portkey'}-provider`, …). */
function portkeyHeaders(
  endpoint: TargetEndpoint,
  provider: 'openai' | 'anthropic',
): Record<string, string> {
  if (endpoint.portkeyUpstream === undefined) return {};
  return {
    'x-portkey-provider': provider,
    'x-portkey-custom-host': endpoint.portkeyUpstream,
  };
}

function openaiRequest(
  endpoint: TargetEndpoint,
  body: {
    model: string;
    tokens: number;
    stream: boolean;
    maxTokens?: number;
    /** The provider behind the model, for a gateway that is told per request (Portkey). */
    provider?: 'openai' | 'anthropic';
  },
): TargetRequest {
  return {
    origin: endpoint.origin,
    path: '/v1/chat/completions',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${endpoint.apiKey ?? SIMULATOR_KEY}`,
      ...portkeyHeaders(endpoint, body.provider ?? 'openai'),
    },
    body: JSON.stringify({
      model: body.model,
      messages: [{ role: 'user', content: prompt(body.tokens) }],
      ...(body.stream ? { stream: true } : {}),
      ...(body.maxTokens === undefined ? {} : { max_tokens: body.maxTokens }),
    }),
  };
}

/** The same question in the Anthropic Messages dialect, as the gateway would send it upstream. */
function anthropicRequest(endpoint: TargetEndpoint, tokens: number): TargetRequest {
  return {
    origin: endpoint.origin,
    path: '/v1/messages',
    headers: {
      'content-type': 'application/json',
      'x-api-key': SIMULATOR_KEY,
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: ANTHROPIC_MODEL,
      max_tokens: ANTHROPIC_MAX_TOKENS,
      stream: true,
      messages: [{ role: 'user', content: prompt(tokens) }],
    }),
  };
}

/** Gateways that translate: their client speaks OpenAI whatever the provider behind. */
function translates(target: TargetName): boolean {
  return target === 'gateway' || target === 'portkey';
}

/**
 * The Claude path: a gateway's client speaks OpenAI and the gateway (Shepherd, Portkey) translates
 * to and from the Anthropic Messages API; the simulator and the proxy are sent the Anthropic
 * request itself, so every target returns the same answer from the same upstream code.
 */
function claudeRequest(
  target: TargetName,
  endpoint: TargetEndpoint,
  tokens: number,
): TargetRequest {
  if (!translates(target)) return anthropicRequest(endpoint, tokens);
  return openaiRequest(endpoint, {
    model: ANTHROPIC_MODEL,
    tokens,
    stream: true,
    maxTokens: ANTHROPIC_MAX_TOKENS,
    provider: 'anthropic',
  });
}

/** The slow-streams run's request: a slow 40-token answer, streamed. */
export function slowStreamRequest(endpoint: TargetEndpoint): TargetRequest {
  return openaiRequest(endpoint, {
    model: SLOW_STREAM_MODEL,
    tokens: SLOW_STREAM_TOKENS,
    stream: true,
  });
}

/**
 * A target's warm-up before its idle memory is read: 100 non-streaming requests and 10 streams,
 * one at a time, so its code is compiled and its connections open, without load.
 */
export function idleWarmupJobs(endpoint: TargetEndpoint): LoadJob[] {
  return [
    {
      kind: 'latency',
      request: openaiRequest(endpoint, {
        model: INSTANT_OPENAI_MODEL,
        tokens: SHORT_ANSWER_TOKENS,
        stream: false,
      }),
      count: 100,
    },
    {
      kind: 'first-token',
      request: openaiRequest(endpoint, {
        model: PACED_OPENAI_MODEL,
        tokens: FIRST_TOKEN_ANSWER_TOKENS,
        stream: true,
      }),
      dialect: 'openai',
      count: 10,
    },
  ];
}

/**
 * Every phase of a round, in run order, each measuring the targets it names that have an endpoint
 * (Portkey is absent when it could not be installed; the billing-off gateway when billing is not
 * measured). The slow-streams phase runs apart, once, after the rounds.
 */
export function buildBenchPhases(
  settings: BenchSettings,
  endpoints: Partial<Record<TargetName, TargetEndpoint>>,
): BenchPhase[] {
  const endpoint = (target: TargetName): TargetEndpoint => {
    const found = endpoints[target];
    if (found === undefined) throw new Error(`no endpoint for target ${target}`);
    return found;
  };
  const available = (targets: readonly TargetName[]) =>
    targets.filter((target) => endpoints[target] !== undefined);
  const nonStreaming = (target: TargetName, durationMs: number): LoadJob => ({
    kind: 'requests',
    request: openaiRequest(endpoint(target), {
      model: INSTANT_OPENAI_MODEL,
      tokens: SHORT_ANSWER_TOKENS,
      stream: false,
    }),
    connections: settings.connections,
    durationMs,
  });
  const phases: BenchPhase[] = [
    {
      id: 'requests',
      kind: 'requests',
      title: `Non-streaming ${INSTANT_OPENAI_MODEL}, ${settings.connections} connections, instant upstream`,
      targets: available(TARGET_NAMES),
      // A second of load right before the window: after a round's other phases the gateway
      // recompiles part of this path (perf shows TurboFan at work in the first second), and a
      // 300 ms warm-up left that compilation inside the measured window. With V8's memory reducer
      // on, a target idle for more than ~8 s needed longer still (see docs/decisions/0005).
      warmup: (target) => nonStreaming(target, 1_000),
      job: (target) => nonStreaming(target, settings.windowMs),
      sampleMemory: true,
    },
    {
      id: 'openai-stream',
      kind: 'streams',
      title: `Streaming OpenAI pass-through (${PACED_OPENAI_MODEL})`,
      targets: available(TARGET_NAMES),
      job: (target) => ({
        kind: 'streams',
        request: openaiRequest(endpoint(target), {
          model: PACED_OPENAI_MODEL,
          tokens: settings.streamTokens,
          stream: true,
        }),
        dialect: 'openai',
        connections: settings.streams,
        durationMs: settings.windowMs,
      }),
    },
    {
      id: 'anthropic-stream',
      kind: 'streams',
      title: `Streaming Anthropic → OpenAI translation (${ANTHROPIC_MODEL})`,
      targets: available(TARGET_NAMES),
      job: (target) => ({
        kind: 'streams',
        request: claudeRequest(target, endpoint(target), settings.streamTokens),
        dialect: translates(target) ? 'openai' : 'anthropic',
        connections: settings.streams,
        durationMs: settings.windowMs,
      }),
    },
    {
      id: 'openai-ttft',
      kind: 'first-token',
      title: `Time to first token, OpenAI pass-through (${PACED_OPENAI_MODEL})`,
      targets: available(TARGET_NAMES),
      job: (target) => ({
        kind: 'first-token',
        request: openaiRequest(endpoint(target), {
          model: PACED_OPENAI_MODEL,
          tokens: FIRST_TOKEN_ANSWER_TOKENS,
          stream: true,
        }),
        dialect: 'openai',
        count: settings.ttftSamples,
      }),
    },
    {
      id: 'anthropic-ttft',
      kind: 'first-token',
      title: `Time to first token, Anthropic → OpenAI translation (${ANTHROPIC_MODEL})`,
      targets: available(TARGET_NAMES),
      job: (target) => ({
        kind: 'first-token',
        request: claudeRequest(target, endpoint(target), FIRST_TOKEN_ANSWER_TOKENS),
        dialect: translates(target) ? 'openai' : 'anthropic',
        count: settings.ttftSamples,
      }),
    },
    {
      id: 'latency',
      kind: 'latency',
      title: `Added latency at concurrency 1: non-streaming ${INSTANT_OPENAI_MODEL}, instant upstream`,
      targets: available(TARGET_NAMES),
      warmup: (target) => ({
        kind: 'latency',
        request: openaiRequest(endpoint(target), {
          model: INSTANT_OPENAI_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        count: 20,
      }),
      job: (target) => ({
        kind: 'latency',
        request: openaiRequest(endpoint(target), {
          model: INSTANT_OPENAI_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        count: settings.latencySamples,
      }),
    },
    {
      id: BILLING_PHASE_ID,
      kind: 'billing',
      title: `What billing costs: non-streaming ${INSTANT_OPENAI_MODEL}, ${settings.connections} connections, instant upstream, billing off vs on`,
      targets: available(BILLING_TARGETS),
      // Both gateways of this phase idle through the rest of a round (~50 s): a full second of
      // load warms each again before its window (connections, and the code V8 recompiles after a
      // pause; see docs/decisions/0005 on the memory reducer).
      warmup: (target) => nonStreaming(target, 1_000),
      job: (target) => nonStreaming(target, settings.windowMs),
    },
    {
      id: 'failover',
      kind: 'failover',
      title: `Failover before the first byte: ${FAILOVER_MODEL} (its deployment answers ${FAILING_UPSTREAM_STATUS}) falling back to ${INSTANT_OPENAI_MODEL}, concurrency 1`,
      targets: available(['gateway']),
      job: () => ({
        kind: 'failover-latency',
        baseline: openaiRequest(endpoint('gateway'), {
          model: INSTANT_OPENAI_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failover: openaiRequest(endpoint('gateway'), {
          model: FAILOVER_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failedAttempt: openaiRequest(endpoint('direct'), {
          model: FAILING_UPSTREAM_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failedStatus: FAILING_UPSTREAM_STATUS,
        count: settings.failoverSamples,
      }),
    },
  ];
  const known = [...phases.map((phase) => phase.id), SLOW_STREAMS_PHASE_ID];
  const unknown = settings.only.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names unknown phases: ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  }
  return settings.only.length === 0
    ? phases
    : phases.filter((phase) => settings.only.includes(phase.id));
}
