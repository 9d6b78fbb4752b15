import { billablePricing } from '../accounting/billable-pricing.ts';
import { estimatePartialUsage } from '../accounting/estimate-partial-usage.ts';
import type { ChatRequest } from '../canonical/chat-request.ts';
import type { BilledChatResponse, ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { EMPTY_USAGE, type Usage } from '../canonical/usage.ts';
import type { ModelEntry } from '../config/config-schema.ts';
import { copyGatewayError, GatewayError, toGatewayError } from '../errors/gateway-error.ts';
import type {
  ProviderAdapter,
  ProviderConnection,
  ProviderType,
} from '../providers/provider-adapter.ts';
import type { AttemptRecord } from '../routing/attempt-record.ts';
import { CandidateUnusableError } from '../routing/candidate-unusable-error.ts';
import type { RoutePlanner } from '../routing/create-route-planner.ts';
import type { Deployment } from '../routing/deployment.ts';
import type { DeploymentHealth } from '../routing/deployment-health.ts';
import type { ModelCatalog } from '../routing/model-catalog.ts';
import type { RetryPolicy } from '../routing/retry-policy.ts';
import { runFailover } from '../routing/run-failover.ts';
import {
  type EncodedUpstreamRequest,
  encodeUpstreamRequest,
} from '../upstream/encode-upstream-request.ts';
import { providerSecrets } from '../upstream/provider-secrets.ts';
import type { CallTimeouts, UpstreamClient } from '../upstream/upstream-client.ts';
import {
  type BillingDependencies,
  type BillingSession,
  type Charge,
  createBillingSession,
} from './billing-session.ts';
import { commitOnFirstContent } from './commit-on-first-content.ts';
import { meterStream } from './meter-stream.ts';
import type { RequestContext } from './request-context.ts';
import type { RequestTimings } from './request-timings.ts';
import { resolveModelTimeouts } from './resolve-model-timeouts.ts';
import { sleepUnlessAborted } from './sleep-unless-aborted.ts';

export interface ChatPipeline {
  /** Answers a non-streaming request (reserve → attempts → settle). */
  complete(request: ChatRequest, context: RequestContext): Promise<CompletedChat>;
  /** Starts a streaming request; resolves once an attempt's first content arrived (committed). */
  stream(request: ChatRequest, context: RequestContext): Promise<StreamedChat>;
}

export interface ServedBy {
  /** The catalogue entry that served the request (a fallback model after a failover). */
  model: ModelEntry;
  /** The configured provider name that served it. */
  provider: string;
  upstreamModel: string;
  /** Upstream attempts made, the serving one included. */
  attempts: number;
  /** Whether a model other than the requested one served. */
  fellBack: boolean;
}

export interface CompletedChat extends ServedBy {
  /** The answer with the usage billed (the provider's, or an estimate when it sent none). */
  response: BilledChatResponse;
  /** Undefined when billing is disabled. */
  charge: Charge | undefined;
  /** The request's moments (for the `Server-Timing` header). */
  timings: RequestTimings;
}

export interface StreamedChat extends ServedBy {
  /** Includes a `charge` event just before `response-end`. */
  events: AsyncIterable<StreamEvent>;
  /** The request's moments; the writer adds its time per chunk (`chunkProcessingMs`). */
  timings: RequestTimings;
}

export interface ChatPipelineDependencies extends BillingDependencies {
  catalog: ModelCatalog;
  planner: RoutePlanner;
  health: DeploymentHealth;
  retryPolicy: RetryPolicy;
  providers: ReadonlyMap<string, ProviderConnection>;
  adapters: Readonly<Record<ProviderType, ProviderAdapter>>;
  upstream: UpstreamClient;
  /** `upstream` timeouts from the config; a model's own `timeouts` override them. */
  defaultTimeouts: CallTimeouts;
  /** Jitter source (tests pin it). */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** One attempt's upstream call, built for a deployment. */
interface PreparedCall {
  model: ModelEntry;
  adapter: ProviderAdapter;
  connection: ProviderConnection;
  httpRequest: EncodedUpstreamRequest;
}

export function createChatPipeline(dependencies: ChatPipelineDependencies): ChatPipeline {
  const { clock, catalog, planner, health, retryPolicy } = dependencies;
  const random = dependencies.random ?? Math.random;
  const sleep = dependencies.sleep ?? sleepUnlessAborted;
  const monotonicMs = () => clock.monotonicMs();
  const outputCapWhenUnset = dependencies.billing.enabled
    ? dependencies.billing.defaultHoldOutputTokens
    : undefined;
  const timeouts = new Map(
    catalog.models.map((model) => [
      model.id,
      resolveModelTimeouts(dependencies.defaultTimeouts, model.timeouts),
    ]),
  );

  function prepare(request: ChatRequest, context: RequestContext) {
    const model = catalog.resolve(request.model);
    const allowed = context.identity.allowedModels;
    if (allowed !== null && !allowed.includes(model.id)) {
      throw new GatewayError(
        'GW_ERR_MODEL_NOT_ALLOWED',
        `This API key may not use \`${model.id}\`. It may use: ${allowed.map((id) => `\`${id}\``).join(', ') || 'no models'}.`,
        { param: 'model' },
      );
    }
    const plan = planner.plan(
      {
        model,
        requestModels: request.fallbackModels,
        fallback: context.fallback ?? 'configured',
        allowedModels: allowed,
      },
      monotonicMs(),
    );
    if (plan.candidates.length === 0) {
      throw new GatewayError('GW_ERR_INTERNAL', `The model \`${model.id}\` has no usable route.`);
    }
    const session = createBillingSession({ dependencies, context, request, models: plan.models });
    return { model, plan, session };
  }

  /** Builds the upstream request for one deployment; a fallback that cannot express it is skipped. */
  function prepareCall(deployment: Deployment, request: ChatRequest, primary: ModelEntry) {
    const model = deployment.modelId === primary.id ? primary : catalog.find(deployment.modelId);
    const connection = dependencies.providers.get(deployment.provider);
    if (model === undefined || connection === undefined) {
      throw new GatewayError(
        'GW_ERR_INTERNAL',
        `The deployment \`${deployment.id}\` is not configured.`,
      );
    }
    const adapter = dependencies.adapters[connection.type];
    try {
      const httpRequest = encodeUpstreamRequest(
        adapter.buildRequest({
          request,
          upstreamModel: deployment.upstreamModel,
          connection,
          catalogMaxOutputTokens: model.maxOutputTokens,
          // Billed, a request without max_tokens is held for the default output cap (ledger.md
          // I4): the provider is told that cap, so the answer cannot outgrow its hold. A free
          // model holds nothing, so it is sent no cap the client did not ask for.
          ...(outputCapWhenUnset === undefined || billablePricing(model) === undefined
            ? {}
            : { outputTokensWhenUnset: outputCapWhenUnset }),
        }),
      );
      return { model, adapter, connection, httpRequest } satisfies PreparedCall;
    } catch (error) {
      // Nothing was sent. The requested model's refusal is final unless another of its
      // deployments speaks another provider's dialect and may express the request.
      const final = model === primary && !servedByAnotherDialect(primary, connection.type);
      throw new CandidateUnusableError(toGatewayError(error), { final });
    }
  }

  /** Whether one of `model`'s routes goes to a provider of another type than `type`. */
  function servedByAnotherDialect(model: ModelEntry, type: ProviderType): boolean {
    return model.routes.some((route) => dependencies.providers.get(route.provider)?.type !== type);
  }

  function callTimeouts(model: ModelEntry, stream: boolean): CallTimeouts {
    const resolved = timeouts.get(model.id) ?? resolveModelTimeouts(dependencies.defaultTimeouts);
    return stream ? resolved.stream : resolved.complete;
  }

  /** A new attempt: its time to first byte counts from now, and only its own headers count. */
  function markSent(timings: RequestTimings): void {
    const sentAt = monotonicMs();
    timings.upstreamSentAt ??= sentAt;
    timings.attemptSentAt = sentAt;
    timings.upstreamHeadersAt = undefined;
  }

  function servedBy(
    primary: ModelEntry,
    deployment: Deployment,
    model: ModelEntry,
    attempts: readonly AttemptRecord[],
  ): ServedBy {
    return {
      model,
      provider: deployment.provider,
      upstreamModel: deployment.upstreamModel,
      attempts: attempts.length,
      fellBack: model.id !== primary.id,
    };
  }

  /**
   * Settles a request no attempt could answer and decorates its error: cost 0, but for attempts
   * whose provider reported usage before failing (billed by the session).
   */
  async function settleFailure(options: {
    session: BillingSession;
    primary: ModelEntry;
    candidates: readonly Deployment[];
    attempts: readonly AttemptRecord[];
    timings: RequestTimings;
    error: GatewayError;
  }): Promise<GatewayError> {
    const { primary, attempts, error } = options;
    const last = attempts.at(-1);
    const fallbackDeployment = options.candidates[0];
    const servedModel = (last === undefined ? undefined : catalog.find(last.modelId)) ?? primary;
    await options.session.settle({
      status: error.code === 'GW_ERR_CLIENT_CLOSED' ? 'client_closed' : 'error',
      errorCode: error.code,
      usage: { ...EMPTY_USAGE },
      estimated: false,
      servedModel,
      provider: last?.provider ?? fallbackDeployment?.provider ?? '',
      upstreamModel: last?.upstreamModel ?? fallbackDeployment?.upstreamModel ?? '',
      chunks: 0,
      timings: options.timings,
      attempts,
    });
    return copyGatewayError(error, {
      attempts: attempts.length,
      fellBack: attempts.some((attempt) => attempt.modelId !== primary.id),
    });
  }

  /** What one attempt's `send` may read and mark: the request's shared state. */
  interface AttemptScope {
    session: BillingSession;
    timings: RequestTimings;
    attempts: AttemptRecord[];
  }

  /**
   * Reserves, then walks the deployments until `send` answers or commits one; when none does, the
   * request is settled at cost 0 and its error (with the attempt count) is thrown.
   */
  async function walk<T extends { model: ModelEntry }>(
    request: ChatRequest,
    context: RequestContext,
    send: (
      call: PreparedCall,
      deployment: Deployment,
      scope: AttemptScope,
      admitted: boolean,
    ) => Promise<T>,
    /** A stream: its attempt is judged when it ends, not when it commits. */
    streamed = false,
  ) {
    const { model, plan, session } = prepare(request, context);
    const scope: AttemptScope = {
      session,
      // Every member from the start: the chunk stages add to `chunkProcessingMs` on each read.
      timings: { acceptedAt: context.acceptedAt, chunkProcessingMs: 0 },
      attempts: [],
    };
    await session.reserve();
    const result = await runFailover({
      verdictAfterSuccess: streamed,
      candidates: plan.candidates,
      policy: retryPolicy,
      health,
      monotonicMs,
      acceptedAtMs: context.acceptedAt,
      random,
      sleep,
      signal: context.signal,
      attempts: scope.attempts,
      attempt: (deployment, admitted) => {
        const call = prepareCall(deployment, request, model);
        markSent(scope.timings);
        return send(call, deployment, scope, admitted);
      },
    });
    if (!result.ok) {
      throw await settleFailure({
        session,
        primary: model,
        candidates: plan.candidates,
        attempts: scope.attempts,
        timings: scope.timings,
        error: result.error,
      });
    }
    const served = servedBy(model, result.deployment, result.value.model, scope.attempts);
    // Plain members before the spread: a literal that starts with one is slow in V8 (decision 0007).
    return { value: result.value, served, ...scope };
  }

  return {
    async complete(request, context) {
      const run = await walk(withStream(request, false), context, async (call, _, scope) => {
        // No client signal: a non-stream call runs to completion (docs/decisions/0002).
        const response = await dependencies.upstream.complete({
          adapter: call.adapter,
          httpRequest: call.httpRequest,
          secrets: providerSecrets(call.connection),
          timeouts: callTimeouts(call.model, false),
          onHeaders: () => {
            scope.timings.upstreamHeadersAt = monotonicMs();
          },
        });
        const answeredAt = monotonicMs();
        if (response.content.length > 0) {
          scope.timings.firstTokenAt = scope.timings.firstContentAt = answeredAt;
        }
        return { response, model: call.model };
      });
      const { served, timings, attempts } = run;
      const { response } = run.value;
      timings.answeredWhole = true;
      // An answer without usage is still billed by its provider: estimated as a cut stream is.
      const usageEstimated = response.usage === undefined;
      const usage =
        response.usage ?? estimateAnswerUsage(response, run.session.promptTokensEstimate);
      const billed: BilledChatResponse = {
        id: response.id,
        model: response.model,
        content: response.content,
        finishReason: response.finishReason,
        usage,
        usageEstimated,
      };
      const charge = await run.session.settle({
        status: 'ok',
        errorCode: null,
        usage,
        estimated: usageEstimated,
        servedModel: served.model,
        provider: served.provider,
        upstreamModel: served.upstreamModel,
        chunks: 0,
        timings,
        attempts,
      });
      return { response: billed, charge, timings, ...served };
    },

    async stream(request, context) {
      const run = await walk(
        withStream(request, true),
        context,
        async (call, deployment, scope, admitted) => {
          const upstreamEvents = await dependencies.upstream.stream({
            adapter: call.adapter,
            httpRequest: call.httpRequest,
            secrets: providerSecrets(call.connection),
            signal: context.signal,
            timeouts: callTimeouts(call.model, true),
            processingTime: scope.timings,
          });
          scope.timings.upstreamHeadersAt = monotonicMs();
          // Once its first content is out the meter owns settlement (end, failure or abandonment);
          // a failure before that is the walk's to retry, and settled by it if nothing answers.
          const metered = meterStream({
            events: upstreamEvents,
            session: scope.session,
            clock,
            timings: scope.timings,
            served: {
              servedModel: call.model,
              provider: deployment.provider,
              upstreamModel: deployment.upstreamModel,
              attempts: scope.attempts,
            },
            deferFailureBeforeContent: true,
            // The attempt in progress is the chain's last record (attempts run one at a time).
            onDeferredUsage: (usage) => {
              const attempt = scope.attempts.at(-1);
              if (attempt !== undefined)
                scope.session.billFailedAttempt(attempt, call.model, usage);
            },
            // A committed stream is judged when it ends: one that breaks after its first content
            // counts against the deployment (test plan B14). Not for an attempt forced past its
            // breaker, whose own probe decides.
            onEndAfterCommit: (verdict) => {
              if (!admitted) return;
              if (verdict.kind === 'failure') {
                health.record(
                  deployment.id,
                  { kind: 'transient' },
                  monotonicMs(),
                  verdict.error.message,
                );
              } else health.record(deployment.id, verdict, monotonicMs());
            },
          });
          return { events: await commitOnFirstContent(metered), model: call.model };
        },
        true,
      );
      return { events: run.value.events, timings: run.timings, ...run.served };
    },
  };
}

/** What an answer without reported usage is billed: the prompt estimate and its counted output. */
function estimateAnswerUsage(response: ChatResponse, promptTokensEstimate: number): Usage {
  let text = '';
  let reasoning = '';
  let toolArguments = '';
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else toolArguments += part.name + part.arguments;
  }
  return estimatePartialUsage({
    reportedUsage: undefined,
    promptTokensEstimate,
    deliveredText: text,
    deliveredReasoning: reasoning,
    deliveredToolArguments: toolArguments,
  });
}

/**
 * The request with `stream` set: a copy (the caller's object is left alone), made as a clone and
 * one write rather than `{ ...request, stream }`, which V8 builds on its slow path
 * (docs/decisions/0007).
 */
function withStream(request: ChatRequest, stream: boolean): ChatRequest {
  const copy = { ...request };
  copy.stream = stream;
  return copy;
}
