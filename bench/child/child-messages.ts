import * as z from 'zod';

/** Parent → child: run `method` with `payload` and answer with the same `id`. */
export const childCallSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int(),
  method: z.string().min(1),
  payload: z.unknown(),
});
export type ChildCall = z.infer<typeof childCallSchema>;

/** Child → parent. */
export const childMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), info: z.record(z.string(), z.string()) }),
  z.object({ kind: z.literal('reply'), id: z.number().int(), result: z.unknown() }),
  z.object({ kind: z.literal('failed'), id: z.number().int(), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

/** What `process.cpuUsage()` reports, in microseconds. */
export const cpuUsageSchema = z.object({ user: z.number(), system: z.number() });
export type CpuUsage = z.infer<typeof cpuUsageSchema>;

/** What a process's memory looks like, in bytes; the heap figures only for bench children. */
export const memorySnapshotSchema = z.object({
  rssBytes: z.number(),
  /** V8 heap in use plus memory held outside it by buffers (`heapUsed + external`). */
  retainedBytes: z.number().optional(),
});
export type MemorySnapshot = z.infer<typeof memorySnapshotSchema>;

/** Payload of the `memory` call. */
export const memoryRequestSchema = z.object({
  /** Run a full garbage collection first (children run with --expose-gc), for leak checks. */
  collectGarbage: z.boolean(),
});
export type MemoryRequest = z.infer<typeof memoryRequestSchema>;

/** Payload of the `heap-snapshot` call. */
export const heapSnapshotRequestSchema = z.object({ path: z.string().min(1) });

export {
  CPU_METHOD,
  HEAP_SNAPSHOT_METHOD,
  MEMORY_METHOD,
  STOP_METHOD,
} from './child-methods.ts';
