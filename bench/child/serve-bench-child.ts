import { writeHeapSnapshot } from 'node:v8';
import {
  type ChildMessage,
  CPU_METHOD,
  childCallSchema,
  HEAP_SNAPSHOT_METHOD,
  heapSnapshotRequestSchema,
  MEMORY_METHOD,
  type MemorySnapshot,
  memoryRequestSchema,
  STOP_METHOD,
} from './child-messages.ts';

export type ChildHandler = (payload: unknown) => Promise<unknown>;

export interface ServeBenchChildOptions {
  /** Extra methods besides `cpu`, `memory` and `stop`. */
  handlers?: Record<string, ChildHandler>;
  /** Releases the child's servers and handles; the process exits right after. */
  stop: () => Promise<void>;
  /** Sent to the parent once, when the child can take calls. */
  info: Record<string, string>;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function memorySnapshot(payload: unknown): MemorySnapshot {
  const parsed = memoryRequestSchema.safeParse(payload);
  if (parsed.success && parsed.data.collectGarbage) globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, retainedBytes: usage.heapUsed + usage.external };
}

/**
 * The child side of the bench's IPC: answers `cpu` with this process's CPU time, `memory` with its
 * resident set and heap, `heap-snapshot` with the path it wrote its heap to, `stop` by closing and
 * exiting, and the given handlers. A lost parent ends the child too, so no run leaves orphans.
 */
export function serveBenchChild(options: ServeBenchChildOptions): void {
  if (process.send === undefined)
    throw new Error('A bench child must be spawned with an IPC channel.');
  let stopping: Promise<void> | undefined;
  const stopAndExit = (code: number) => {
    stopping ??= options
      .stop()
      .catch((error: unknown) => console.error('bench child stop failed:', error))
      .finally(() => process.exit(code));
    return stopping;
  };

  process.on('message', (raw: unknown) => {
    const parsed = childCallSchema.safeParse(raw);
    if (!parsed.success) return;
    const { id, method, payload } = parsed.data;
    if (method === CPU_METHOD) {
      send({ kind: 'reply', id, result: process.cpuUsage() });
      return;
    }
    if (method === MEMORY_METHOD) {
      send({ kind: 'reply', id, result: memorySnapshot(payload) });
      return;
    }
    if (method === HEAP_SNAPSHOT_METHOD) {
      const request = heapSnapshotRequestSchema.safeParse(payload);
      if (request.success)
        send({ kind: 'reply', id, result: writeHeapSnapshot(request.data.path) });
      else send({ kind: 'failed', id, message: 'heap-snapshot needs { path }' });
      return;
    }
    if (method === STOP_METHOD) {
      send({ kind: 'reply', id, result: null });
      void stopAndExit(0);
      return;
    }
    const handler = options.handlers?.[method];
    if (handler === undefined) {
      send({ kind: 'failed', id, message: `unknown method ${method}` });
      return;
    }
    handler(payload).then(
      (result) => send({ kind: 'reply', id, result }),
      (error: unknown) =>
        send({
          kind: 'failed',
          id,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  process.on('disconnect', () => void stopAndExit(0));
  process.on('SIGTERM', () => void stopAndExit(0));
  send({ kind: 'ready', info: options.info });
}

/** Reports a start-up failure to stderr and exits, so the parent's ready wait fails fast. */
export function failChildStart(error: unknown): never {
  console.error('bench child failed to start:', error);
  process.exit(1);
}
