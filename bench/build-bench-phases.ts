import {
  ANTHROPIC_MODEL,
  FAILING_UPSTREAM_MODEL,
  FAILING_UPSTREAM_STATUS,
  FAILOVER_MODEL,
  INSTANT_OPENAI_MODEL,
  PACED_OPENAI_MODEL,
} from './bench-models.ts';
import type { LoadJob, TargetRequest } from './load/load-jobs.ts';
import type { BenchSettings } from './read-bench-settings.ts';

/**
 * Every process a phase can measure: the simulator itself, the pass-through proxy, the gateway
 * (billing on, as shipped) and the same gateway with `billing.enabled: false`.
 */
export const ALL_TARGETS = ['direct', 'proxy', 'gateway', 'unbilled'] as const;
export type TargetName = (typeof ALL_TARGETS)[number];
/** The targets of the throughput, streaming and first-token phases. */
export const TARGET_NAMES = ['direct', 'proxy', 'gateway'] as const satisfies TargetName[];
/** The billing phase: the same gateway without and with billing, in this order each round. */
export const BILLING_TARGETS = ['unbilled', 'gateway'] as const satisfies TargetName[];
/** The phase that needs the `unbilled` gateway. */
export const BILLING_PHASE_ID = 'billing';

export interface TargetEndpoint {
  origin: string;
  /** The Shepherd API key (gateway); the simulator accepts any key. */
  apiKey?: string;
}

export type PhaseKind = 'requests' | 'streams' | 'first-token' | 'billing' | 'failover';

export interface BenchPhase {
  id: string;
  kind: PhaseKind;
  title: string;
  /** Measured in this order, interleaved, every round. */
  targets: readonly TargetName[];
  /** Unmeasured load just before the window, so every target starts on warm connections. */
  warmup?: (target: TargetName) => LoadJob;
  job: (target: TargetName) => LoadJob;
}

/** Answer length of the non-streaming and first-token requests. */
const SHORT_ANSWER_TOKENS = 16;
const FIRST_TOKEN_ANSWER_TOKENS = 6;
const ANTHROPIC_MAX_TOKENS = 8_192;
const SIMULATOR_KEY = 'simulator';

function prompt(tokens: number): string {
  return `Benchmark request from Shepherd's bench. [simulate tokens=${tokens}]`;
}

function openaiRequest(
  endpoint: TargetEndpoint,
  body: { model: string; tokens: number; stream: boolean; maxTokens?: number },
): TargetRequest {
  return {
    origin: endpoint.origin,
    path: '/v1/chat/completions',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${endpoint.apiKey ?? SIMULATOR_KEY}`,
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

/**
 * The Claude path: the gateway's client speaks OpenAI and Shepherd translates to and from the
 * Anthropic Messages API; the simulator and the proxy are sent the Anthropic request itself, so
 * every target returns the same answer from the same upstream code.
 */
function claudeRequest(
  target: TargetName,
  endpoint: TargetEndpoint,
  tokens: number,
): TargetRequest {
  if (target !== 'gateway') return anthropicRequest(endpoint, tokens);
  return openaiRequest(endpoint, {
    model: ANTHROPIC_MODEL,
    tokens,
    stream: true,
    maxTokens: ANTHROPIC_MAX_TOKENS,
  });
}

/** Every phase of a round, in run order. */
export function buildBenchPhases(
  settings: BenchSettings,
  endpoints: Record<TargetName, TargetEndpoint>,
): BenchPhase[] {
  const nonStreaming = (target: TargetName, durationMs: number): LoadJob => ({
    kind: 'requests',
    request: openaiRequest(endpoints[target], {
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
      targets: TARGET_NAMES,
      warmup: (target) => nonStreaming(target, 300),
      job: (target) => nonStreaming(target, settings.windowMs),
    },
    {
      id: 'openai-stream',
      kind: 'streams',
      title: `Streaming OpenAI pass-through (${PACED_OPENAI_MODEL})`,
      targets: TARGET_NAMES,
      job: (target) => ({
        kind: 'streams',
        request: openaiRequest(endpoints[target], {
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
      targets: TARGET_NAMES,
      job: (target) => ({
        kind: 'streams',
        request: claudeRequest(target, endpoints[target], settings.streamTokens),
        dialect: target === 'gateway' ? 'openai' : 'anthropic',
        connections: settings.streams,
        durationMs: settings.windowMs,
      }),
    },
    {
      id: 'openai-ttft',
      kind: 'first-token',
      title: `Time to first token, OpenAI pass-through (${PACED_OPENAI_MODEL})`,
      targets: TARGET_NAMES,
      job: (target) => ({
        kind: 'first-token',
        request: openaiRequest(endpoints[target], {
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
      targets: TARGET_NAMES,
      job: (target) => ({
        kind: 'first-token',
        request: claudeRequest(target, endpoints[target], FIRST_TOKEN_ANSWER_TOKENS),
        dialect: target === 'gateway' ? 'openai' : 'anthropic',
        count: settings.ttftSamples,
      }),
    },
    {
      id: BILLING_PHASE_ID,
      kind: 'billing',
      title: `What billing costs: non-streaming ${INSTANT_OPENAI_MODEL}, ${settings.connections} connections, instant upstream, billing off vs on`,
      targets: BILLING_TARGETS,
      warmup: (target) => nonStreaming(target, 300),
      job: (target) => nonStreaming(target, settings.windowMs),
    },
    {
      id: 'failover',
      kind: 'failover',
      title: `Failover before the first byte: ${FAILOVER_MODEL} (its deployment answers ${FAILING_UPSTREAM_STATUS}) falling back to ${INSTANT_OPENAI_MODEL}, concurrency 1`,
      targets: ['gateway'],
      job: () => ({
        kind: 'failover-latency',
        baseline: openaiRequest(endpoints.gateway, {
          model: INSTANT_OPENAI_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failover: openaiRequest(endpoints.gateway, {
          model: FAILOVER_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failedAttempt: openaiRequest(endpoints.direct, {
          model: FAILING_UPSTREAM_MODEL,
          tokens: SHORT_ANSWER_TOKENS,
          stream: false,
        }),
        failedStatus: FAILING_UPSTREAM_STATUS,
        count: settings.failoverSamples,
      }),
    },
  ];
  const unknown = settings.only.filter((id) => !phases.some((phase) => phase.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names unknown phases: ${unknown.join(', ')} (known: ${phases.map((phase) => phase.id).join(', ')})`,
    );
  }
  return settings.only.length === 0
    ? phases
    : phases.filter((phase) => settings.only.includes(phase.id));
}
