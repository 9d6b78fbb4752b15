import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError, toGatewayError } from '../../errors/gateway-error.ts';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.ts';
import type { ChatPipeline, ServedBy, StreamedChat } from '../../pipeline/handle-chat.ts';
import type { RequestContext } from '../../pipeline/request-context.ts';
import type { RequestTimings } from '../../pipeline/request-timings.ts';
import { encodeOpenaiChatResponseJson } from '../../surfaces/openai/encode-openai-chat-response.ts';
import { encodeOpenaiChatStream } from '../../surfaces/openai/encode-openai-chat-stream.ts';
import { encodeOpenaiErrorObject } from '../../surfaces/openai/encode-openai-error.ts';
import { parseOpenaiChatRequest } from '../../surfaces/openai/parse-openai-chat-request.ts';
import { type StreamKeepAlive, startStreamKeepAlive } from '../start-stream-keep-alive.ts';
import { writeSseStream } from '../write-sse-stream.ts';

/** Non-stream calls are not tied to the client's socket (docs/decisions/0002): one shared signal. */
const NEVER_ABORTED = new AbortController().signal;

export interface ChatRouteDependencies {
  pipeline: ChatPipeline;
  /** Wall clock in milliseconds (injectable for tests). */
  now: () => number;
  /** Milliseconds before a stream still waiting for its first token starts keep-alives; 0: never. */
  streamKeepAliveMs: number;
  /** Counts streams in flight. */
  metrics?: GatewayMetrics;
}

/** `POST /v1/chat/completions` in the OpenAI dialect, streaming and not. */
export function registerChatCompletionsRoute(
  app: FastifyInstance,
  dependencies: ChatRouteDependencies,
) {
  app.post('/chat/completions', async (request, reply) => {
    const chatRequest = parseOpenaiChatRequest(request.body);
    if (chatRequest.stream) {
      // The parsed body holds the whole prompt and nothing reads it again, while a stream may
      // stay open for minutes (docs/benchmarks.md, memory per open stream).
      request.body = undefined;
      return streamChat(request, reply, chatRequest, dependencies);
    }
    // A non-streaming upstream call is not tied to the client's socket: the provider bills the
    // answer whether or not the client waits for it, so it runs to completion and is recorded.
    const completed = await dependencies.pipeline.complete(
      chatRequest,
      requestContext(request, NEVER_ABORTED),
    );
    const { charge } = completed;
    void reply.headers(servedHeaders(completed));
    void reply.header('server-timing', serverTiming(completed.timings, performance.now()));
    if (charge !== undefined) {
      void reply.headers({
        'x-shepherd-cost': microsToDecimalText(charge.costMicros),
        'x-shepherd-balance': microsToDecimalText(charge.balanceMicros),
        'x-shepherd-currency': charge.currency,
      });
    }
    // The body as text: its usage.cost and usage.balance are written digit for digit from the
    // micro-units, which a JSON number made from a double cannot always hold (Node 20 has no
    // JSON.rawJSON for Fastify's serializer to keep them).
    void reply.type('application/json; charset=utf-8');
    return encodeOpenaiChatResponseJson({
      response: completed.response,
      id: completionId(request),
      created: Math.floor(dependencies.now() / 1000),
      model: completed.model.id,
      ...(charge === undefined ? {} : { charge }),
    });
  });
}

/** A stream whose first frame is in hand: what `relayStream` sends. */
interface OpenedStream {
  streamed: StreamedChat;
  frames: ReturnType<typeof encodeOpenaiChatStream>;
  firstFrame: string;
}

/** What watches the client while a stream is opened and relayed. */
interface StreamWatch {
  keepAlive: StreamKeepAlive | undefined;
  /** Aborts the pipeline when the client goes; removed once the stream is over. */
  onClose: () => void;
}

/**
 * Opens the stream (the pipeline up to its first content, and that frame) and hands it to
 * `relayStream` without waiting for it: this function's frame, which holds the request and with it
 * the whole prompt, ends once the stream is open instead of living as long as the stream
 * (docs/benchmarks.md, memory per open stream).
 */
async function streamChat(
  request: FastifyRequest,
  reply: FastifyReply,
  chatRequest: ChatRequest,
  dependencies: ChatRouteDependencies,
): Promise<void> {
  const abort = new AbortController();
  const watch: StreamWatch = {
    keepAlive: undefined,
    onClose: () => {
      if (!reply.raw.writableFinished) abort.abort(new Error('client closed the connection'));
    },
  };
  reply.raw.on('close', watch.onClose);
  if (dependencies.streamKeepAliveMs > 0) {
    watch.keepAlive = startStreamKeepAlive({
      response: reply.raw,
      intervalMs: dependencies.streamKeepAliveMs,
      headers: { 'x-request-id': request.id },
      onStart: () => reply.hijack(),
    });
  }
  let opened: OpenedStream | undefined;
  try {
    opened = await openStream(request, chatRequest, abort.signal, watch, dependencies);
  } catch (error) {
    reply.raw.off('close', watch.onClose);
    endFailedStream(request, reply, watch, error);
    return;
  }
  if (opened === undefined) {
    reply.raw.off('close', watch.onClose);
    return;
  }
  return relayStream(request, reply, opened, watch, dependencies);
}

/** The pipeline's stream up to its first frame; undefined when it ended without one. */
async function openStream(
  request: FastifyRequest,
  chatRequest: ChatRequest,
  signal: AbortSignal,
  watch: StreamWatch,
  dependencies: ChatRouteDependencies,
): Promise<OpenedStream | undefined> {
  let streamed: StreamedChat;
  try {
    streamed = await dependencies.pipeline.stream(chatRequest, requestContext(request, signal));
  } finally {
    watch.keepAlive?.stop();
  }
  const frames = encodeOpenaiChatStream({
    events: streamed.events,
    id: completionId(request),
    created: Math.floor(dependencies.now() / 1000),
    model: streamed.model.id,
    includeUsage: chatRequest.includeUsage,
    onError: (error) => {
      if (error.code === 'GW_ERR_CLIENT_CLOSED') request.log.info('client disconnected mid-stream');
      else request.log.warn({ code: error.code, err: error }, 'stream failed after its first byte');
    },
  });
  const first = await frames.next();
  return first.done === true ? undefined : { streamed, frames, firstFrame: first.value };
}

/** Sends an opened stream to the client until it ends, fails or the client goes. */
async function relayStream(
  request: FastifyRequest,
  reply: FastifyReply,
  opened: OpenedStream,
  watch: StreamWatch,
  dependencies: ChatRouteDependencies,
): Promise<void> {
  const { streamed } = opened;
  try {
    if (watch.keepAlive?.started !== true) reply.hijack();
    dependencies.metrics?.streamOpened();
    try {
      await writeSseStream({
        response: reply.raw,
        headers: { 'x-request-id': request.id, ...servedHeaders(streamed) },
        firstFrame: opened.firstFrame,
        frames: opened.frames,
        processingTime: streamed.timings,
      });
    } finally {
      dependencies.metrics?.streamClosed();
    }
    request.log.info(
      {
        model: streamed.model.id,
        provider: streamed.provider,
        attempts: streamed.attempts,
        responseTime: reply.elapsedTime,
      },
      'stream completed',
    );
  } catch (error) {
    endFailedStream(request, reply, watch, error);
  } finally {
    reply.raw.off('close', watch.onClose);
  }
}

/**
 * A stream that failed: before keep-alives the status is still ours to choose, so the error is
 * thrown for the error handler to answer; after them, it ends the committed stream.
 */
function endFailedStream(
  request: FastifyRequest,
  reply: FastifyReply,
  watch: StreamWatch,
  error: unknown,
): void {
  if (watch.keepAlive?.started !== true) throw error;
  endCommittedStream(request, reply, toGatewayError(error));
}

/**
 * A stream already committed to 200 by keep-alives that then failed before any content: the error
 * goes out as one OpenAI error frame, without `[DONE]`, as after a mid-stream failure.
 */
function endCommittedStream(request: FastifyRequest, reply: FastifyReply, error: GatewayError) {
  if (error.code === 'GW_ERR_CLIENT_CLOSED') request.log.info('client disconnected while waiting');
  else request.log.warn({ code: error.code, err: error }, 'stream failed during keep-alives');
  if (reply.raw.destroyed) return;
  reply.raw.end(`data: ${JSON.stringify({ error: encodeOpenaiErrorObject(error) })}\n\n`);
}

function requestContext(request: FastifyRequest, signal: AbortSignal): RequestContext {
  const { identity } = request;
  // The /v1 scope authenticates every request before its handler runs.
  if (identity === undefined)
    throw new GatewayError('GW_ERR_INVALID_API_KEY', 'Not authenticated.');
  return {
    requestId: request.id,
    identity,
    acceptedAt: request.acceptedAt,
    signal,
    fallback: parseFallbackHeader(request.headers['x-shepherd-fallback']),
  };
}

/** `x-shepherd-fallback: none` keeps the request on its model; absent or `auto`: configured. */
function parseFallbackHeader(value: string | string[] | undefined): 'configured' | 'none' {
  if (value === undefined) return 'configured';
  const text = (Array.isArray(value) ? value.join(',') : value).trim().toLowerCase();
  if (text === 'none') return 'none';
  if (text === 'auto' || text === '') return 'configured';
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    'The header `x-shepherd-fallback` must be `none` (no fallback models) or `auto` (the configured fallbacks).',
    { param: 'x-shepherd-fallback' },
  );
}

/** `req_<hex>` → `chatcmpl-<hex>`: ids come from generateRequestId, so the prefix is fixed. */
function completionId(request: FastifyRequest): string {
  return `chatcmpl-${request.id.slice('req_'.length)}`;
}

/**
 * `Server-Timing` of a non-stream answer (browsers' devtools and curl -v show it): the gateway's own
 * time before the first upstream call, failed attempts, the serving upstream call, and the total
 * until the headers were written.
 */
export function serverTiming(timings: RequestTimings, now: number): string {
  const parts: string[] = [];
  const duration = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? undefined : Math.max(0, to - from).toFixed(3);
  const gateway = duration(timings.acceptedAt, timings.upstreamSentAt);
  if (gateway !== undefined) parts.push(`gateway;dur=${gateway};desc="before the upstream call"`);
  const failover = duration(timings.upstreamSentAt, timings.attemptSentAt);
  if (failover !== undefined && failover !== '0.000') {
    parts.push(`failover;dur=${failover};desc="failed attempts"`);
  }
  const upstream = duration(timings.attemptSentAt, timings.upstreamHeadersAt);
  if (upstream !== undefined) parts.push(`upstream;dur=${upstream};desc="provider"`);
  parts.push(`total;dur=${duration(timings.acceptedAt, now) ?? '0'}`);
  return parts.join(', ');
}

function servedHeaders(servedBy: ServedBy): Record<string, string> {
  return {
    'x-shepherd-model': servedBy.model.id,
    'x-shepherd-provider': servedBy.provider,
    'x-shepherd-attempts': String(servedBy.attempts),
    'x-shepherd-fallback': String(servedBy.fellBack),
  };
}
