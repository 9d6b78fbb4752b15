import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { SseMessage } from '../sse/sse-message.ts';

/** The wire protocols the gateway speaks to upstreams (the `type` of a provider in the config). */
export type ProviderType = 'openai' | 'openai-compatible' | 'anthropic' | 'gemini';

/** Where and how to reach one configured provider. */
export interface ProviderConnection {
  /** The provider's name in the configuration (`anthropic`, `my-vllm`); used in logs, never sent. */
  name: string;
  type: ProviderType;
  /**
   * Base URL as configured, without a trailing slash, in the provider SDK's own convention:
   * `https://api.openai.com/v1` (OpenAI-style, with `/v1`), `https://api.anthropic.com`,
   * `https://generativelanguage.googleapis.com` (each adapter appends its own path).
   */
  baseUrl: string;
  /** Empty when the provider needs no key (a local vLLM or Ollama). */
  apiKey: string;
  /** Extra headers the operator configured for this provider. */
  headers: Record<string, string>;
}

export interface BuildRequestInput {
  request: ChatRequest;
  /** The model id the upstream knows (`claude-sonnet-4-20250514`), from the route. */
  upstreamModel: string;
  connection: ProviderConnection;
  /**
   * The model's maximum output tokens from the catalogue. Every adapter refuses a client
   * `max_tokens` above it (400 on `max_tokens`). Providers whose API requires an output limit
   * (Anthropic's `max_tokens`) also send it when the client gave none: the operator's declared
   * limit, not an invented default.
   */
  catalogMaxOutputTokens: number;
  /**
   * The output cap to send when the client set none; the pipeline passes what it held for output
   * (ledger.md I4), so the provider cannot produce more than the hold covers. Every adapter sends
   * it as its max-output parameter, never above `catalogMaxOutputTokens`. Absent: an adapter sends
   * no limit, or the catalogue maximum where the API requires one (Anthropic).
   */
  outputTokensWhenUnset?: number;
}

/** A fully built upstream call: `upstream/` sends it as is. */
export interface UpstreamHttpRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /** The response is an SSE stream (map with `mapStream`) rather than one JSON body (`mapResponse`). */
  stream: boolean;
}

/** An upstream answer with a non-2xx status, its body read as text (capped by `upstream/`). */
export interface UpstreamErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Maps one upstream stream synchronously, one decoded SSE message at a time: what `mapStream` does,
 * without an async hop per message (the upstream client runs it inside its one read loop). One
 * mapper per stream; it keeps that stream's state.
 */
export interface StreamEventMapper {
  /**
   * The canonical events one message maps to (often none or one). Throws the `GatewayError` a
   * provider error event or a malformed payload stands for.
   */
  push(message: SseMessage): readonly StreamEvent[];
  /** True once the terminal message arrived (`[DONE]`, `message_stop`): later input is not read. */
  readonly complete: boolean;
  /**
   * The closing events, at end of input or once `complete`: the last of them is `response-end`.
   * Throws `GW_ERR_UPSTREAM_STREAM_ERROR` for a stream that ended before its answer was complete.
   */
  end(): readonly StreamEvent[];
}

/**
 * What routing sees of a provider. Every method is pure.
 *
 * - `buildRequest` throws `GatewayError('GW_ERR_UNSUPPORTED_PARAMETER', …, { param })` for a field of
 *   the canonical request the provider cannot honour (param named as in the OpenAI wire format, e.g.
 *   `seed`, `frequency_penalty`, `response_format`): never a silent drop, never an invented default.
 *   It always asks the upstream for usage (streaming included).
 * - `mapResponse` takes the parsed JSON body of a 2xx non-streaming answer.
 * - `mapStream` takes the decoded SSE messages of a 2xx streaming answer and yields canonical events
 *   (`response-start` first, `response-end` last). A provider error event, a malformed payload or a
 *   stream that ends without its terminal event is thrown as a `GatewayError`
 *   (`GW_ERR_UPSTREAM_STREAM_ERROR` / `GW_ERR_UPSTREAM_BAD_RESPONSE` or the mapped provider error).
 * - `createStreamMapper`, when present, gives the same mapping as a synchronous `StreamEventMapper`
 *   (`mapStream` is then a thin wrapper over it); the upstream client prefers it.
 * - `mapError` turns a non-2xx answer into a typed, retryable-or-not `GatewayError` whose message is
 *   safe for clients (no keys, no internal URLs). 429 keeps its retry delay in `retryAfterSeconds`.
 */
export interface ProviderAdapter {
  readonly type: ProviderType;
  buildRequest(input: BuildRequestInput): UpstreamHttpRequest;
  mapResponse(body: unknown): ChatResponse;
  mapStream(messages: AsyncIterable<SseMessage>): AsyncIterable<StreamEvent>;
  createStreamMapper?(): StreamEventMapper;
  mapError(response: UpstreamErrorResponse): GatewayError;
}
