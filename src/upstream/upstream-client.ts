import { Agent, request, errors as undiciErrors } from 'undici';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderAdapter, UpstreamHttpRequest } from '../providers/provider-adapter.ts';
import { decodeSse } from '../sse/decode-sse.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';
import { redactSecret } from './redact-secret.ts';

export interface UpstreamTimeouts {
  /** Milliseconds to open the connection. */
  connectTimeoutMs: number;
  /** Milliseconds until the response headers arrive. */
  headersTimeoutMs: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyIdleTimeoutMs: number;
  /** Bytes of a non-streaming body read at most. */
  maxResponseBytes: number;
}

export interface UpstreamCall {
  adapter: ProviderAdapter;
  httpRequest: UpstreamHttpRequest;
  /** The provider key, redacted from anything that could reach a client or a log. */
  apiKey: string;
  /** Aborts the call (the client went away); absent for calls that must run to completion. */
  signal?: AbortSignal;
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

export function createUpstreamClient(timeouts: UpstreamTimeouts): UpstreamClient {
  const agent = new Agent({
    connect: { timeout: timeouts.connectTimeoutMs },
    headersTimeout: timeouts.headersTimeoutMs,
    bodyTimeout: timeouts.bodyIdleTimeoutMs,
    keepAliveTimeout: 30_000,
    connections: 256,
  });

  async function send(call: UpstreamCall) {
    const { httpRequest } = call;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(httpRequest.url, {
        method: httpRequest.method,
        headers: httpRequest.headers,
        body: httpRequest.body,
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        dispatcher: agent,
      });
    } catch (error) {
      throw transportError(error, call.signal);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const body = await readText(response.body, ERROR_BODY_LIMIT_BYTES, call.signal).catch(() => '');
    const mapped = call.adapter.mapError({
      status: response.statusCode,
      headers: response.headers,
      body,
    });
    throw redactError(mapped, call.apiKey);
  }

  return {
    async complete(call) {
      const response = await send(call);
      let text: string;
      try {
        text = await readText(response.body, timeouts.maxResponseBytes, call.signal);
      } catch (error) {
        throw error instanceof GatewayError ? error : transportError(error, call.signal);
      }
      const parsed = safeParseJson(text);
      if (!parsed.ok) {
        throw new GatewayError(
          'GW_ERR_UPSTREAM_BAD_RESPONSE',
          'The provider sent a response that is not valid JSON.',
        );
      }
      return call.adapter.mapResponse(parsed.value);
    },
    async stream(call) {
      const response = await send(call);
      const body = guardBody(response.body, call);
      return call.adapter.mapStream(decodeSse(body));
    },
    async close() {
      await agent.close();
    },
  };
}

type ResponseBody = Awaited<ReturnType<typeof request>>['body'];

/** Re-throws body read failures (reset, idle timeout, abort) as typed errors, once per stream. */
async function* guardBody(body: ResponseBody, call: UpstreamCall): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk as Uint8Array;
  } catch (error) {
    throw transportError(error, call.signal, true);
  } finally {
    // Reached on normal end, on error and when the consumer stops early (client gone).
    if (!body.destroyed) body.destroy();
  }
}

async function readText(
  body: ResponseBody,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw new GatewayError(
        'GW_ERR_UPSTREAM_BAD_RESPONSE',
        `The provider's response exceeded ${limit} bytes.`,
      );
    }
    chunks.push(buffer);
  }
  if (signal?.aborted === true) throw transportError(signal.reason, signal);
  return Buffer.concat(chunks).toString('utf8');
}

function transportError(
  error: unknown,
  signal: AbortSignal | undefined,
  midStream = false,
): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal?.aborted === true) {
    return new GatewayError('GW_ERR_CLIENT_CLOSED', 'The client closed the request.', {
      cause: error,
    });
  }
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', 'The provider did not answer in time.', {
      cause: error,
    });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError(
      'GW_ERR_UPSTREAM_TIMEOUT',
      'The provider stopped sending data before the answer was complete.',
      { cause: error },
    );
  }
  if (midStream) {
    return new GatewayError(
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The connection to the provider broke before the answer was complete.',
      { cause: error },
    );
  }
  return new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', 'The provider could not be reached.', {
    cause: error,
  });
}

function redactError(error: GatewayError, apiKey: string): GatewayError {
  const message = redactSecret(error.message, apiKey);
  if (message === error.message) return error;
  const options: ConstructorParameters<typeof GatewayError>[2] = {
    status: error.status,
    retryable: error.isRetryable,
  };
  if (error.param !== undefined) options.param = error.param;
  if (error.retryAfterSeconds !== undefined) options.retryAfterSeconds = error.retryAfterSeconds;
  if (error.upstreamStatus !== undefined) options.upstreamStatus = error.upstreamStatus;
  return new GatewayError(error.code, message, options);
}
