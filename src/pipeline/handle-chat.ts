import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import type { ModelEntry } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type {
  ProviderAdapter,
  ProviderConnection,
  ProviderType,
} from '../providers/provider-adapter.ts';
import type { ModelCatalog } from '../routing/model-catalog.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import { commitOnFirstContent } from './commit-on-first-content.ts';

export interface ChatPipeline {
  /** Answers a non-streaming request. */
  complete(request: ChatRequest, signal: AbortSignal): Promise<CompletedChat>;
  /** Starts a streaming request; resolves once the first content arrived (see commitOnFirstContent). */
  stream(request: ChatRequest, signal: AbortSignal): Promise<StreamedChat>;
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
}

export interface StreamedChat extends ServedBy {
  events: AsyncIterable<StreamEvent>;
}

export interface ChatPipelineDependencies {
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderConnection>;
  adapters: Readonly<Record<ProviderType, ProviderAdapter>>;
  upstream: UpstreamClient;
}

export function createChatPipeline(dependencies: ChatPipelineDependencies): ChatPipeline {
  function plan(request: ChatRequest) {
    const model = dependencies.catalog.resolve(request.model);
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
    return { servedBy, adapter, httpRequest, apiKey: connection.apiKey };
  }

  return {
    async complete(request, signal) {
      const attempt = plan({ ...request, stream: false });
      const response = await dependencies.upstream.complete({ ...attempt, signal });
      return { ...attempt.servedBy, response };
    },
    async stream(request, signal) {
      const attempt = plan({ ...request, stream: true });
      const events = await dependencies.upstream.stream({ ...attempt, signal });
      return { ...attempt.servedBy, events: await commitOnFirstContent(events) };
    },
  };
}
