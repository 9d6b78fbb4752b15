import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { request } from '../upstream/undici-core.ts';
import { isRecord, safeParseJson } from '../util/safe-parse-json.ts';
import { BenchRequestError } from './bench-request-error.ts';
import type { BenchTarget, StreamMeasurement } from './bench-types.ts';
import { buildBenchRequestBody } from './build-bench-request-body.ts';
import { measureSseStream, type TimedChunk } from './measure-sse-stream.ts';

export interface StreamedRequest {
  target: BenchTarget;
  /** Answer length to ask for, in tokens. */
  tokens: number;
  /** The whole request, body included, must finish within this. */
  timeoutMs: number;
  /** Ctrl-C: aborts the request; the caller then discards it rather than counting a failure. */
  signal: AbortSignal;
  dispatcher: Dispatcher;
}

/** Error bodies are read only this far: enough for any JSON error. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/** The chat-completions URL under an OpenAI-style base URL (`…/v1`). */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/**
 * Streams one chat completion and measures it against `performance.now()` taken just before the
 * request is sent. Throws a BenchRequestError that names the HTTP status, the unreachable URL, the
 * content type of a server that did not stream, or the timeout.
 */
export async function sendStreamedRequest(options: StreamedRequest): Promise<StreamMeasurement> {
  const { target, timeoutMs } = options;
  const url = chatCompletionsUrl(target.baseUrl);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'user-agent': 'shepherd-bench',
  };
  if (target.apiKey !== undefined) headers.authorization = `Bearer ${target.apiKey}`;
  const body = buildBenchRequestBody({ model: target.model, tokens: options.tokens });
  const describe = (error: unknown, stage: string) =>
    describeFailure({
      error,
      url,
      stage,
      interrupted: options.signal.aborted,
      timedOut: timeout.aborted,
      timeoutMs,
    });

  const startedAtMs = performance.now();
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'POST',
      headers,
      body,
      signal,
      dispatcher: options.dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    throw describe(error, 'cannot reach');
  }
  try {
    const { statusCode } = response;
    if (statusCode < 200 || statusCode > 299) {
      const text = await readLimitedText(response.body);
      throw new BenchRequestError(
        `HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''} from ${url}: ${errorMessageOf(text)}`,
      );
    }
    const contentType = headerText(response.headers['content-type']);
    if (!contentType.toLowerCase().startsWith('text/event-stream')) {
      throw new BenchRequestError(
        `${url} did not stream: it answered HTTP ${statusCode} with content-type ` +
          `${contentType === '' ? '(none)' : contentType}, not text/event-stream`,
      );
    }
    return await measureSseStream({ chunks: timed(response.body), startedAtMs });
  } catch (error) {
    if (error instanceof BenchRequestError) throw error;
    throw describe(error, 'lost the stream from');
  } finally {
    if (!response.body.destroyed) {
      // Destroying a body not read to its end makes undici emit RequestAbortedError; nobody waits
      // for this body any more, and without a listener that event would crash the process.
      response.body.once('error', () => {});
      response.body.destroy();
    }
  }
}

async function* timed(body: AsyncIterable<unknown>): AsyncGenerator<TimedChunk> {
  for await (const chunk of body) {
    if (chunk instanceof Uint8Array) yield { atMs: performance.now(), bytes: chunk };
  }
}

async function readLimitedText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (!(chunk instanceof Buffer)) continue;
    parts.push(chunk);
    size += chunk.length;
    if (size >= ERROR_BODY_LIMIT_BYTES) break;
  }
  return Buffer.concat(parts).toString('utf8').slice(0, ERROR_BODY_LIMIT_BYTES);
}

/** The `error.message` of an OpenAI-shaped error body, else the body's start. */
function errorMessageOf(text: string): string {
  const parsed = safeParseJson(text);
  if (parsed.ok && isRecord(parsed.value)) {
    const error = parsed.value.error;
    if (isRecord(error) && typeof error.message === 'string') return error.message;
    if (typeof error === 'string') return error;
    if (typeof parsed.value.message === 'string') return parsed.value.message;
  }
  const trimmed = text.trim();
  if (trimmed === '') return '(empty body)';
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function describeFailure(options: {
  error: unknown;
  url: string;
  stage: string;
  interrupted: boolean;
  timedOut: boolean;
  timeoutMs: number;
}): unknown {
  const { error, url } = options;
  // Ctrl-C: passed through as is, for the runner to tell apart from a failed request.
  if (options.interrupted) return error;
  if (options.timedOut) {
    return new BenchRequestError(
      `${url} did not finish within ${options.timeoutMs / 1000} s (--timeout)`,
      { cause: error },
    );
  }
  return new BenchRequestError(`${options.stage} ${url}: ${transportMessage(error)}`, {
    cause: error,
  });
}

/** undici reports a refused connection as `connect ECONNREFUSED …`, a bad host as `getaddrinfo …`. */
function transportMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
