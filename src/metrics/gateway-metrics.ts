import type { Usage } from '../canonical/usage.ts';
import type { DeploymentHealth } from '../routing/deployment-health.ts';
import { createMetricsRegistry } from './metrics-registry.ts';

/** One finished chat request, as the pipeline settled it. */
export interface FinishedRequest {
  requestedModel: string;
  servedModel: string;
  provider: string;
  status: 'ok' | 'error' | 'client_closed';
  errorCode: string | null;
  usage: Usage;
  costMicros: bigint;
  /** Seconds; null when no token arrived. */
  timeToFirstTokenSeconds: number | null;
  totalSeconds: number;
  /** Seconds per output token after the first; null when unknown. */
  timePerOutputTokenSeconds: number | null;
  attempts: readonly { deploymentId: string; outcome: string }[];
}

/** What the pipeline and the server report; the registry renders it for `/metrics`. */
export interface GatewayMetrics {
  requestFinished(request: FinishedRequest): void;
  streamOpened(): void;
  streamClosed(): void;
  holdOpened(): void;
  holdClosed(): void;
  httpResponse(method: string, route: string, statusCode: number): void;
  render(): string;
}

const TIME_TO_FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];
const TIME_PER_TOKEN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const BREAKER_STATES = ['closed', 'open', 'half_open', 'disabled'] as const;

/**
 * The gateway's metrics. GenAI names follow the OpenTelemetry semantic conventions
 * (`gen_ai.server.time_to_first_token` → `gen_ai_server_time_to_first_token_seconds`, attributes
 * `gen_ai.response.model` → label `gen_ai_response_model`); the rest are `shepherd_*`. Label values
 * come from the catalogue, the config and the error catalogue, so cardinality stays bounded.
 */
export function createGatewayMetrics(options: {
  currency: string;
  health?: DeploymentHealth;
  monotonicMs: () => number;
}): GatewayMetrics {
  const { currency, health } = options;
  const registry = createMetricsRegistry();
  const modelLabels = ['gen_ai_response_model', 'gen_ai_provider_name'] as const;

  const requests = registry.counter({
    name: 'shepherd_requests_total',
    help: 'Chat requests finished, by requested and serving model, provider, status and error code.',
    labelNames: [
      'gen_ai_request_model',
      'gen_ai_response_model',
      'gen_ai_provider_name',
      'status',
      'error_type',
    ],
  });
  const timeToFirstToken = registry.histogram({
    name: 'gen_ai_server_time_to_first_token_seconds',
    help: 'Time from the request reaching the gateway to the first content, reasoning or tool delta.',
    labelNames: modelLabels,
    buckets: TIME_TO_FIRST_TOKEN_BUCKETS,
  });
  const duration = registry.histogram({
    name: 'gen_ai_server_request_duration_seconds',
    help: 'Time from the request reaching the gateway to its last byte.',
    labelNames: modelLabels,
    buckets: DURATION_BUCKETS,
  });
  const timePerOutputToken = registry.histogram({
    name: 'gen_ai_server_time_per_output_token_seconds',
    help: 'Seconds per output token after the first token (the inverse of tokens/s).',
    labelNames: modelLabels,
    buckets: TIME_PER_TOKEN_BUCKETS,
  });
  const tokens = registry.counter({
    name: 'shepherd_tokens_total',
    help: 'Tokens billed, by serving model, provider and kind. input counts every prompt token (cached_input and cache_write are parts of it); output includes reasoning.',
    labelNames: [...modelLabels, 'gen_ai_token_type'],
  });
  const cost = registry.counter({
    name: 'shepherd_cost_total',
    help: 'Charged to accounts, in the wallet currency.',
    labelNames: ['gen_ai_response_model', 'currency'],
  });
  const attempts = registry.counter({
    name: 'shepherd_upstream_attempts_total',
    help: 'Upstream attempts by deployment and outcome (failovers show as error then ok).',
    labelNames: ['deployment', 'outcome'],
  });
  const http = registry.counter({
    name: 'shepherd_http_requests_total',
    help: 'HTTP requests by method, route template and status code (499: the client left before the response ended).',
    labelNames: ['method', 'route', 'status_code'],
  });
  let streamsInFlight = 0;
  let holdsOpen = 0;
  registry.gauge(
    { name: 'shepherd_streams_in_flight', help: 'Streams being relayed now.', labelNames: [] },
    () => [{ labels: [], value: streamsInFlight }],
  );
  registry.gauge(
    {
      name: 'shepherd_ledger_holds_open',
      help: 'Credit holds this process has reserved and not yet settled.',
      labelNames: [],
    },
    () => [{ labels: [], value: holdsOpen }],
  );
  if (health !== undefined) {
    registry.gauge(
      {
        name: 'shepherd_upstream_breaker_state',
        help: 'Circuit breaker state per deployment (1 for the current state).',
        labelNames: ['deployment', 'state'],
      },
      () =>
        health.snapshot(options.monotonicMs()).flatMap((view) =>
          BREAKER_STATES.map((state) => ({
            labels: [view.id, state],
            value: view.state === state ? 1 : 0,
          })),
        ),
    );
    registry.gauge(
      {
        name: 'shepherd_upstream_consecutive_failures',
        help: 'Consecutive transient failures per deployment.',
        labelNames: ['deployment'],
      },
      () =>
        health
          .snapshot(options.monotonicMs())
          .map((view) => ({ labels: [view.id], value: view.consecutiveFailures })),
    );
  }
  registry.gauge(
    {
      name: 'process_resident_memory_bytes',
      help: 'Resident set size of the gateway process.',
      labelNames: [],
    },
    () => [{ labels: [], value: process.memoryUsage.rss() }],
  );

  return {
    requestFinished(request) {
      const model = [request.servedModel, request.provider];
      requests.add(
        [
          request.requestedModel,
          request.servedModel,
          request.provider,
          request.status,
          request.errorCode ?? '',
        ],
        1,
      );
      duration.observe(model, request.totalSeconds);
      if (request.timeToFirstTokenSeconds !== null) {
        timeToFirstToken.observe(model, request.timeToFirstTokenSeconds);
      }
      if (request.timePerOutputTokenSeconds !== null) {
        timePerOutputToken.observe(model, request.timePerOutputTokenSeconds);
      }
      const { usage } = request;
      addTokens(model, 'input', usage.inputTokens);
      addTokens(model, 'cached_input', usage.cachedInputTokens);
      addTokens(model, 'cache_write', usage.cacheWriteTokens);
      addTokens(model, 'output', usage.outputTokens);
      addTokens(model, 'reasoning', usage.reasoningTokens);
      if (request.costMicros !== 0n) {
        cost.add([request.servedModel, currency], Number(request.costMicros) / 1_000_000);
      }
      for (const attempt of request.attempts)
        attempts.add([attempt.deploymentId, attempt.outcome], 1);
    },
    streamOpened() {
      streamsInFlight += 1;
    },
    streamClosed() {
      streamsInFlight -= 1;
    },
    holdOpened() {
      holdsOpen += 1;
    },
    holdClosed() {
      holdsOpen -= 1;
    },
    httpResponse(method, route, statusCode) {
      http.add([method, route, String(statusCode)], 1);
    },
    render: () => registry.render(),
  };

  function addTokens(model: string[], kind: string, count: number) {
    if (count > 0) tokens.add([...model, kind], count);
  }
}
