import diagnosticsChannel from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import type { GcPause, TraceEvent } from '../measure/decompose-first-token.ts';

/**
 * Preloaded (`node --import`) by `bench/trace-first-token.ts` into the load generator and the
 * target under test: records when requests cross each process's edges, on the monotonic clock in
 * microseconds, which every process of the machine shares, so one request can be followed from
 * the client through the target to the upstream and back:
 *
 * - `request`: the HTTP server of this process got a request's headers;
 * - `send`: a write on a socket this process connected (the load generator's request, the
 *   target's upstream request);
 * - `receive` / `receive-content`: data read from such a socket; `-content` when it carries answer
 *   text (an OpenAI `content` that is not empty, an Anthropic `text_delta`).
 *
 * The events are kept in memory and written, as JSON, to `<BENCH_TRACE_DIR>/<pid>.json`
 * when the process exits. Sockets a server accepted are left alone: their data is requests.
 * The process's garbage collections go to `<pid>.gc.json`, so a slow request can be checked
 * against them.
 */
const directory = process.env.BENCH_TRACE_DIR;
if (directory === undefined) throw new Error('the first-token trace needs BENCH_TRACE_DIR');

const events: TraceEvent[] = [];
const CONTENT = /"content":"[^"]|"type":"text_delta"/;
/** Longer reads are not searched for content: answers in this trace are a few tokens. */
const LONGEST_SEARCHED = 64 * 1024;

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Whether the socket is one this process connected: not accepted by one of its servers (Node sets
 * `_server` on those) and not its standard output or error (a pipe is a socket too).
 */
function isConnected(socket: Socket): boolean {
  if (socket === process.stdout || socket === process.stderr) return false;
  return (socket as unknown as { _server?: unknown })._server == null;
}

diagnosticsChannel.subscribe('http.server.request.start', () => {
  events.push({ kind: 'request', atMicros: nowMicros() });
});

const originalWrite = Socket.prototype.write;
Socket.prototype.write = function write(this: Socket, ...rest: unknown[]): boolean {
  if (isConnected(this)) events.push({ kind: 'send', atMicros: nowMicros() });
  return (originalWrite as (...values: unknown[]) => boolean).apply(this, rest);
} as typeof Socket.prototype.write;

const originalPush = Socket.prototype.push;
Socket.prototype.push = function push(this: Socket, chunk: unknown, encoding?: BufferEncoding) {
  if (chunk instanceof Uint8Array && isConnected(this)) {
    const atMicros = nowMicros();
    const text =
      chunk.length > LONGEST_SEARCHED
        ? ''
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1');
    events.push({ kind: CONTENT.test(text) ? 'receive-content' : 'receive', atMicros });
  }
  return originalPush.call(this, chunk, encoding);
};

const pauses: GcPause[] = [];
// `performance.now()` runs on the same monotonic clock from the process's time origin: this offset
// puts a collection's start on `nowMicros()`'s scale.
const originMicros = nowMicros() - performance.now() * 1000;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    pauses.push({
      atMicros: originMicros + entry.startTime * 1000,
      durationMicros: entry.duration * 1000,
    });
  }
}).observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  writeFileSync(join(directory, `${process.pid}.json`), JSON.stringify(events));
  writeFileSync(join(directory, `${process.pid}.gc.json`), JSON.stringify(pauses));
});
