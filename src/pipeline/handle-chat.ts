import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { EMPTY_USAGE } from '../canonical/usage.ts';
import type { ModelEntry } from '../config/config-schema.ts';
import { GatewayError, toGatewayError } from '../errors/gateway-error.ts';
import type {
  ProviderAdapter,
  ProviderConnection,
  ProviderType,
} from '../providers/provider-adapter.ts';
import type { ModelCatalog } from '../routing/model-catalog.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
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

export interface ChatPipeline {
  /** Answers a non-streaming request (reserve → call → settle). */
  complete(request: ChatRequest, context: RequestContext): Promise<CompletedChat>;
  /** Starts a streaming request; resolves once the first content arrived (see commitOnFirstContent). */
  stream(request: ChatRequest, context: RequestContext): Promise<StreamedChat>;
}

export interface ServedBy {
  /** The catalogue entry that served the request. */
  model: ModelEntry;
  /** The configured provider name that served it. */
  provider: string;
  upstreamModel: string;
}

export interface CompletedChat extends ServedBy {
  response: ChatResponse;
  /** Undefined when billing is disabled. */
  charge: Charge | undefined;
}

export interface StreamedChat extends ServedBy {
  /** Includes a `charge` event just before `response-end`. */
  events: AsyncIterable<StreamEvent>;
}

export interface ChatPipelineDependencies extends BillingDependencies {
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderConnection>;
  adapters: Readonly<Record<ProviderType, ProviderAdapter>>;
  upstream: UpstreamClient;
}

export function createChatPipeline(dependencies: ChatPipelineDependencies): ChatPipeline {
  const { clock } = dependencies;

  function plan(request: ChatRequest, context: RequestContext) {
    const model = dependencies.catalog.resolve(request.model);
    const allowed = context.identity.allowedModels;
    if (allowed !== null && !allowed.includes(model.id)) {
      throw new GatewayError(
        'GW_ERR_MODEL_NOT_ALLOWED',
        `This API key may not use \`${model.id}\`. It may use: ${allowed.map((id) => `\`${id}\``).join(', ') || 'no models'}.`,
        { param: 'model' },
      );
    }
    // Retries and fallback across routes come with the failover work; today the first route serves.
    const route = model.routes[0];
    const connection = route === undefined ? undefined : dependencies.providers.get(route.provider);
    if (route === undefined || connection === undefined) {
      throw new GatewayError('GW_ERR_INTERNAL', `The model \`${model.id}\` has no usable route.`);
    }
    const adapter = dependencies.adapters[connection.type];
    const httpRequest = adapter.buildRequest({
      request,
      upstreamModel: route.model,
      connection,
      catalogMaxOutputTokens: model.maxOutputTokens,
    });
    const servedBy: ServedBy = { model, provider: connection.name, upstreamModel: route.model };
    const session = createBillingSession({ dependencies, context, request, model });
    return { servedBy, adapter, httpRequest, apiKey: connection.apiKey, session };
  }

  /** Settles a request that failed before any stream was handed out (no usage: cost 0). */
  async function settleFailure(
    session: BillingSession,
    servedBy: ServedBy,
    timings: RequestTimings,
    error: unknown,
  ): Promise<void> {
    const code = toGatewayError(error).code;
    await session.settle({
      status: code === 'GW_ERR_CLIENT_CLOSED' ? 'client_closed' : 'error',
      errorCode: code,
      usage: { ...EMPTY_USAGE },
      estimated: false,
      servedModel: servedBy.model,
      provider: servedBy.provider,
      upstreamModel: servedBy.upstreamModel,
      chunks: 0,
      timings,
    });
  }

  return {
    async complete(request, context) {
      const attempt = plan({ ...request, stream: false }, context);
      const timings: RequestTimings = { acceptedAt: context.acceptedAt };
      await attempt.session.reserve();
      let response: ChatResponse;
      try {
        timings.upstreamSentAt = clock.monotonicMs();
        response = await dependencies.upstream.complete({
          adapter: attempt.adapter,
          httpRequest: attempt.httpRequest,
          apiKey: attempt.apiKey,
          // No client signal: a non-stream call runs to completion (docs/decisions/0002).
        });
        timings.upstreamHeadersAt = clock.monotonicMs();
      } catch (error) {
        await settleFailure(attempt.session, attempt.servedBy, timings, error);
        throw error;
      }
      const hasOutput = response.content.length > 0;
      if (hasOutput) timings.firstTokenAt = timings.firstContentAt = timings.upstreamHeadersAt;
      const charge = await attempt.session.settle({
        status: 'ok',
        errorCode: null,
        usage: response.usage,
        estimated: false,
        servedModel: attempt.servedBy.model,
        provider: attempt.servedBy.provider,
        upstreamModel: attempt.servedBy.upstreamModel,
        chunks: 0,
        timings,
      });
      return { ...attempt.servedBy, response, charge };
    },
    async stream(request, context) {
      const attempt = plan({ ...request, stream: true }, context);
      const timings: RequestTimings = { acceptedAt: context.acceptedAt };
      await attempt.session.reserve();
      let upstreamEvents: AsyncIterable<StreamEvent>;
      try {
        timings.upstreamSentAt = clock.monotonicMs();
        upstreamEvents = await dependencies.upstream.stream({
          adapter: attempt.adapter,
          httpRequest: attempt.httpRequest,
          apiKey: attempt.apiKey,
          signal: context.signal,
        });
        timings.upstreamHeadersAt = clock.monotonicMs();
      } catch (error) {
        await settleFailure(attempt.session, attempt.servedBy, timings, error);
        throw error;
      }
      // From here the meter owns settlement (its finally runs on end, failure or abandonment).
      const metered = meterStream({
        events: upstreamEvents,
        session: attempt.session,
        clock,
        timings,
        served: {
          servedModel: attempt.servedBy.model,
          provider: attempt.servedBy.provider,
          upstreamModel: attempt.servedBy.upstreamModel,
        },
      });
      return { ...attempt.servedBy, events: await commitOnFirstContent(metered) };
    },
  };
}
