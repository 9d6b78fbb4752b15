import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.ts';
import { nestsDeeperThan } from '../util/nests-deeper-than.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';
import { decodeRequestBody } from './decode-request-body.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

type BodyDone = (error: Error | null, body?: unknown) => void;

/**
 * Levels of objects and arrays a body may nest. JSON.parse takes any depth, but what runs after it
 * recurses (zod, the adapters' mappers, JSON.stringify of the upstream request): a body nested
 * 10^5 deep overflowed the stack there, a 500 after the credit hold was taken. 128 is serde_json's
 * default limit, and far more than a real request needs: chat messages sit 5 levels deep, and a
 * JSON schema (tool parameters, response_format) of 10 nested objects, as many as OpenAI's
 * structured outputs allow, takes under 40. On Node 20's default stack, JSON.stringify overflows
 * past about 4,000 levels and a plain recursive function past about 3,000.
 */
export const MAX_JSON_NESTING_DEPTH = 128;

/**
 * Parses every request body as JSON, whatever its content type: `curl -d` without
 * `-H 'Content-Type: application/json'` sends form encoding, and refusing that would only confuse
 * newcomers. Invalid UTF-8 is refused rather than silently replaced with U+FFFD. A compressed body
 * (`Content-Encoding`) is decoded first (`decodeRequestBody`).
 *
 * The body is read here rather than by Fastify (`parseAs: 'buffer'`): a request's body usually
 * arrives with its headers, and is then buffered by the time the parser looks (see
 * `readRequestBody`). It is taken in one read, where Fastify would wait for the stream's `data`
 * and `end` events and copy it (10–20 µs more before the upstream call, one request at a time;
 * docs/benchmarks.md, run of 11:38).
 */
export function registerJsonBodyParser(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    readRequestBody(request.raw, payload, bodyLimitBytes, (error, bytes) => {
      if (error !== null) done(error);
      else if (request.headers['content-encoding'] === undefined) parseJsonBody(bytes, done);
      else {
        decodeRequestBody(
          bytes,
          request.headers['content-encoding'],
          bodyLimitBytes,
          (failure, decoded) => {
            if (failure !== null) done(failure);
            else parseJsonBody(decoded, done);
          },
        );
      }
    });
  });
}

/**
 * The whole body, refused beyond `limit` bytes or when it ends short of its `content-length`.
 * `payload` is the request itself unless a preParsing hook replaced it.
 *
 * A body that came with its headers is taken in one read once it is buffered. The hooks before
 * this run synchronously for most requests (a cached key), that is while Node's HTTP parser is
 * still on the headers: the body it is about to parse from the same socket read is then buffered
 * one tick later, so it is looked for once more then, before falling back to the stream's events.
 */
export function readRequestBody(
  message: IncomingMessage,
  payload: NodeJS.ReadableStream,
  limit: number,
  done: (error: Error | null, bytes: Buffer) => void,
): void {
  const declared = Number(message.headers['content-length']);
  if (declared > limit) {
    done(bodyTooLarge(), EMPTY);
    return;
  }
  if (payload !== message || !(declared > 0)) {
    gatherBody(payload, declared, limit, done);
    return;
  }
  if (takeBufferedBody(message, declared, done)) return;
  process.nextTick(() => {
    if (!takeBufferedBody(message, declared, done)) gatherBody(payload, declared, limit, done);
  });
}

/**
 * Reads the body at once if every declared byte is buffered (the parser never buffers more). The
 * bytes may be a view of the socket's read: they are decoded at once and never kept, so no copy.
 */
function takeBufferedBody(
  message: IncomingMessage,
  declared: number,
  done: (error: Error | null, bytes: Buffer) => void,
): boolean {
  if (message.readableLength !== declared || message.readableFlowing === true) return false;
  const buffered: unknown = message.read();
  if (buffered instanceof Buffer && buffered.length === declared) {
    done(null, buffered);
    return true;
  }
  // Not what the length promised (never seen): put it back for the stream's events to deliver.
  if (buffered instanceof Buffer || typeof buffered === 'string') message.unshift(buffered);
  return false;
}

/** The body from the stream's events, as it arrives. */
function gatherBody(
  payload: NodeJS.ReadableStream,
  declared: number,
  limit: number,
  done: (error: Error | null, bytes: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const stop = () => {
    payload.off('data', onData);
    payload.off('end', onEnd);
    payload.off('error', onEnd);
  };
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.length;
    if (received > limit) {
      stop();
      done(bodyTooLarge(), EMPTY);
      return;
    }
    chunks.push(bytes);
  };
  const onEnd = (error?: Error) => {
    stop();
    if (error !== undefined) {
      const reason = 'The request body could not be read to its end.';
      done(new GatewayError('GW_ERR_INVALID_REQUEST', reason, { cause: error }), EMPTY);
    } else if (!Number.isNaN(declared) && received !== declared) {
      done(
        new GatewayError(
          'GW_ERR_INVALID_REQUEST',
          `The request body has ${received} bytes; its Content-Length says ${declared}.`,
        ),
        EMPTY,
      );
    } else done(null, Buffer.concat(chunks, received));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

const EMPTY = Buffer.alloc(0);

function bodyTooLarge(): GatewayError {
  return new GatewayError(
    'GW_ERR_BODY_TOO_LARGE',
    'The request body is larger than this gateway accepts.',
  );
}

function parseJsonBody(bytes: Buffer, done: BodyDone): void {
  if (bytes.length === 0) {
    done(new GatewayError('GW_ERR_INVALID_JSON', 'The request body is empty; send a JSON object.'));
    return;
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    done(new GatewayError('GW_ERR_INVALID_JSON', 'The request body is not valid UTF-8.'));
    return;
  }
  const parsed = safeParseJson(text);
  if (!parsed.ok) {
    done(
      new GatewayError(
        'GW_ERR_INVALID_JSON',
        `The request body is not valid JSON (${parsed.error}). Check quoting and commas, and send it with Content-Type: application/json.`,
      ),
    );
    return;
  }
  // Checked on the parsed value, not the text: walking the containers costs 5–10 % of the parse of
  // a 10–100 KiB body (under 0.5 µs at 1 KiB), a second pass over its bytes 85–130 %
  // (bench/measure-nesting-check.ts).
  if (nestsDeeperThan(parsed.value, MAX_JSON_NESTING_DEPTH)) {
    done(
      new GatewayError(
        'GW_ERR_INVALID_JSON',
        `The request body nests objects and arrays more than ${MAX_JSON_NESTING_DEPTH} levels deep.`,
      ),
    );
    return;
  }
  done(null, parsed.value);
}
