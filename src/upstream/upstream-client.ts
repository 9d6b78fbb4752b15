import { finished as whenFinished } from 'node:stream';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { decodeSse } from '../sse/decode-sse.ts';
import type { SseMessage } from '../sse/sse-message.ts';
import type { ProcessingTime } from '../util/processing-time.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';
import type { CallTimeouts, EffectiveCallTimeouts } from './call-timeouts.ts';
import { createAgentCache } from './create-agent-cache.ts';
import type { EncodedUpstreamRequest } from './encode-upstream-request.ts';
import { mapTransportError } from './map-transport-error.ts';
import { readUpstreamEvents } from './read-upstream-events.ts';
import { redactError } from './redact-secret.ts';
import { sendableBody } from './sendable-body.ts';
import { type CallDeadline, startCallDeadline } from './start-call-deadline.ts';
import { request, errors as undiciErrors } from './undici-core.ts';

export type { CallTimeouts } from './call-timeouts.ts';

/** The client's defaults, used by every call that brings no `timeouts` of its own. */
export interface UpstreamTimeouts {
  /** Milliseconds to open the connection. */
  connectTimeoutMs: number;
  /** Milliseconds until the response headers arrive. */
  headersTimeoutMs: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyIdleTimeoutMs: number;
  /** Milliseconds for a whole call, body included (default: no total limit). */
  totalTimeoutMs?: number;
  /** Bytes of a non-streaming body read at most. */
  maxResponseBytes: number;
}

export interface UpstreamCall {
  adapter: ProviderAdapter;
  /** Built by the adapter, its body encoded by `encodeUpstreamRequest`. */
  httpRequest: EncodedUpstreamRequest;
  /**
   * The provider's key and credential headers (`providerSecrets`), redacted from anything that
   * could reach a client or a log.
   */
  secrets: readonly string[];
  /** Aborts the call (the client went away); absent for calls that must run to completion. */
  signal?: AbortSignal;
  /** Overrides the client's defaults for this call (per-model timeouts). */
  timeouts?: CallTimeouts;
  /** Told when a 2xx answer's headers arrived (a non-streaming call's time to first byte). */
  onHeaders?: () => void;
  /** A streaming call adds the time it spends decoding and mapping each read here. */
  processingTime?: ProcessingTime;
}

/** Error bodies are read only this far: enough for any provider's JSON error. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

export interface UpstreamClient {
  /** Sends a non-streaming call and maps its JSON answer. */
  complete(call: UpstreamCall): Promise<ChatResponse>;
  /** Sends a streaming call; resolves once the headers say 2xx, then yields canonical events. */
  stream(call: UpstreamCall): Promise<AsyncIterable<StreamEvent>>;
  close(): Promise<void>;
}

/**
 * One call in flight: its limits, its deadline and how to map its failures. Not the call itself:
 * a stream's read callbacks keep this state as long as the stream is open, and the call holds the
 * request's body (the whole prompt), which is no use once sent.
 */
interface CallState {
  /** The client's signal: an abort it caused is the client's, not the provider's, failure. */
  clientSignal: AbortSignal | undefined;
  timeouts: EffectiveCallTimeouts;
  deadline: CallDeadline;
}

type ResponseBody = Awaited<ReturnType<typeof request>>['body'];

export function createUpstreamClient(defaults: UpstreamTimeouts): UpstreamClient {
  const agents = createAgentCache();
  const defaultTimeouts: EffectiveCallTimeouts = {
    connectMs: defaults.connectTimeoutMs,
    firstByteMs: defaults.headersTimeoutMs,
    idleMs: defaults.bodyIdleTimeoutMs,
    totalMs: defaults.totalTimeoutMs,
  };

  function begin(call: UpstreamCall): CallState {
    const timeouts = call.timeouts ?? defaultTimeouts;
    return {
      clientSignal: call.signal,
      timeouts,
      deadline: startCallDeadline(call.signal, timeouts.totalMs),
    };
  }

  async function send(call: UpstreamCall, state: CallState) {
    const { timeouts, deadline } = state;
    const sendable = sendableBody(call.httpRequest);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(call.httpRequest.url, {
        method: call.httpRequest.method,
        headers: sendable.headers,
        body: sendable.body,
        ...(deadline.signal === undefined ? {} : { signal: deadline.signal }),
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
        dispatcher: agents.agentFor(timeouts.connectMs),
      });
    } catch (error) {
      throw transportError(state, error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const body = await readText(state, response.body, ERROR_BODY_LIMIT_BYTES).catch(() => '');
    const mapped = call.adapter.mapError({
      status: response.statusCode,
      headers: response.headers,
      body,
    });
    throw redactError(mapped, call.secrets);
  }

  return {
    async complete(call) {
      const state = begin(call);
      let text: string;
      try {
        const response = await send(call, state);
        call.onHeaders?.();
        text = await readText(state, response.body, defaults.maxResponseBytes);
      } finally {
        state.deadline.clear();
      }
      const parsed = safeParseJson(text);
      if (!parsed.ok) {
        throw new GatewayError(
          'GW_ERR_UPSTREAM_BAD_RESPONSE',
          'The provider sent a response that is not valid JSON.',
        );
      }
      try {
        return call.adapter.mapResponse(parsed.value);
      } catch (error) {
        // An error member in a 200 body carries the provider's text, which may quote the key.
        throw redactError(error, call.secrets);
      }
    },
    async stream(call) {
      const state = begin(call);
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await send(call, state);
      } catch (error) {
        state.deadline.clear();
        throw error;
      }
      // An error event inside the 200 stream carries the provider's text, which may quote the
      // key: every failure of the stream is redacted, as a non-2xx answer's is in `send`. The
      // closures keep the key alone, not the call, whose body (the whole prompt) must not stay.
      const { secrets } = call;
      const redact = (error: unknown) => redactError(error, secrets);
      const mapper = call.adapter.createStreamMapper?.();
      if (mapper === undefined) {
        const seen: MessagesSeen = { lastAt: performance.now() };
        const messages = noteMessages(decodeSse(guardBody(state, response.body, seen)), seen);
        const events = call.adapter.mapStream(messages);
        return redactFailures(events, redact);
      }
      const { body } = response;
      return readUpstreamEvents({
        body,
        mapper,
        readError: (error) => redactError(transportError(state, error, true), secrets),
        mapperError: redact,
        release: () => releaseBody(state, body),
        idle: {
          ms: state.timeouts.idleMs,
          error: () => transportError(state, new undiciErrors.BodyTimeoutError(), true),
        },
        ...(call.processingTime === undefined ? {} : { processingTime: call.processingTime }),
      });
    },
    async close() {
      await agents.close();
    },
  };
}

/**
 * For adapters without a synchronous mapper: re-throws body read failures (reset, timeouts, abort)
 * as typed errors, once per stream.
 */
async function* guardBody(
  state: CallState,
  body: ResponseBody,
  messagesSeen: MessagesSeen,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) {
      // Bytes that gave no message (SSE comments) do not count against the idle limit (B13).
      if (performance.now() - messagesSeen.lastAt > state.timeouts.idleMs) {
        throw new undiciErrors.BodyTimeoutError();
      }
      yield chunk as Uint8Array;
    }
  } catch (error) {
    throw transportError(state, error, true);
  } finally {
    // Reached on normal end, on error and when the consumer stops early (client gone).
    releaseBody(state, body);
  }
}

/** When the decoder last gave a message (`performance.now()`), for `guardBody`'s idle check. */
interface MessagesSeen {
  lastAt: number;
}

async function* noteMessages(
  messages: AsyncIterable<SseMessage>,
  seen: MessagesSeen,
): AsyncGenerator<SseMessage> {
  for await (const message of messages) {
    seen.lastAt = performance.now();
    yield message;
  }
}

/** For adapters without a synchronous mapper: their stream's failure, redacted. */
async function* redactFailures(
  events: AsyncIterable<StreamEvent>,
  redact: (error: unknown) => unknown,
): AsyncGenerator<StreamEvent> {
  try {
    yield* events;
  } catch (error) {
    throw redact(error);
  }
}

function releaseBody(state: CallState, body: ResponseBody): void {
  state.deadline.clear();
  if (!body.destroyed) body.destroy();
}

/**
 * The whole body as text, at most `limit` bytes. Read from `data` events with one promise for the
 * body, not with `for await`: the async iterator costs a generator step and several promise hops
 * per chunk and per end, on every non-streaming request (docs/benchmarks.md, requests).
 */
function readText(state: CallState, body: ResponseBody, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      reject(transportError(state, error));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(
          new GatewayError(
            'GW_ERR_UPSTREAM_BAD_RESPONSE',
            `The provider's response exceeded ${limit} bytes.`,
          ),
        );
        body.destroy();
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    // Called once: at the end, on an error, or when the body closes before its end.
    whenFinished(body, { writable: false }, (error) => {
      if (error !== undefined && error !== null) return fail(error);
      if (settled) return;
      const { clientSignal } = state;
      if (clientSignal?.aborted === true) return fail(clientSignal.reason);
      settled = true;
      const only = chunks.length === 1 ? chunks[0] : undefined;
      resolve((only ?? Buffer.concat(chunks)).toString('utf8'));
    });
  });
}

function transportError(state: CallState, error: unknown, midStream = false): GatewayError {
  return mapTransportError({
    error,
    clientSignal: state.clientSignal,
    deadlineExpired: state.deadline.expired,
    timeouts: state.timeouts,
    midStream,
  });
}
