import { fstatSync } from 'node:fs';
import {
  CPU_METHOD,
  HEAP_SNAPSHOT_METHOD,
  LOG_BYTES_METHOD,
  MEMORY_METHOD,
  STOP_METHOD,
} from './child-methods.ts';

/**
 * Preloaded (`node --import`) into the gateway under test, which runs as users run it
 * (`dist/shepherd.mjs start`), so the bench can talk to it like to its own children: answers
 * `cpu`, `memory` (optionally after a forced collection; node runs with --expose-gc), `log-bytes`
 * (the size of stdout, the request-log file), `heap-snapshot` (writes the heap to the path given)
 * and `stop`, which sends this process the SIGTERM `shepherd start` shuts down on. A lost parent
 * stops it too. Written without zod or any package, and bundled on its own, so it adds next to
 * nothing to the memory it reports.
 */
function reply(id: number, result: unknown): void {
  process.send?.({ kind: 'reply', id, result });
}

function fail(id: number, message: string): void {
  process.send?.({ kind: 'failed', id, message });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stop(): void {
  process.kill(process.pid, 'SIGTERM');
}

if (process.send === undefined) throw new Error('the gateway IPC preload needs an IPC channel');

process.on('message', (raw: unknown) => {
  if (!isRecord(raw) || raw.kind !== 'call' || typeof raw.id !== 'number') return;
  const { id, method, payload } = raw;
  if (method === CPU_METHOD) reply(id, process.cpuUsage());
  else if (method === MEMORY_METHOD) {
    if (isRecord(payload) && payload.collectGarbage === true) globalThis.gc?.();
    const usage = process.memoryUsage();
    reply(id, { rssBytes: usage.rss, retainedBytes: usage.heapUsed + usage.external });
  } else if (method === LOG_BYTES_METHOD) reply(id, fstatSync(1).size);
  else if (method === HEAP_SNAPSHOT_METHOD) {
    // Loaded when asked, so a gateway whose heap is never written carries nothing more.
    const path = isRecord(payload) ? payload.path : undefined;
    if (typeof path !== 'string') fail(id, 'heap-snapshot needs { path }');
    else {
      import('node:v8').then(
        (v8) => reply(id, v8.writeHeapSnapshot(path)),
        (error: unknown) => fail(id, String(error)),
      );
    }
  } else if (method === STOP_METHOD) {
    reply(id, null);
    stop();
  } else fail(id, `unknown method ${String(method)}`);
});
process.on('disconnect', stop);
process.send({ kind: 'ready', info: {} });
