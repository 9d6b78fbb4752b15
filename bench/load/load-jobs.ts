import { z } from 'zod';

/** One HTTP request the load generator repeats: the same bytes for every send. */
export const targetRequestSchema = z.object({
  origin: z.string().min(1),
  path: z.string().startsWith('/'),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type TargetRequest = z.infer<typeof targetRequestSchema>;

const dialectSchema = z.enum(['openai', 'anthropic']);

export const loadJobSchema = z.discriminatedUnion('kind', [
  /** Closed loop: `connections` workers send non-streaming requests back to back for `durationMs`. */
  z.object({
    kind: z.literal('requests'),
    request: targetRequestSchema,
    connections: z.number().int().positive().max(512),
    durationMs: z.number().int().positive().max(60_000),
  }),
  /** Closed loop of streaming requests; counts the content chunks received. */
  z.object({
    kind: z.literal('streams'),
    request: targetRequestSchema,
    dialect: dialectSchema,
    connections: z.number().int().positive().max(512),
    durationMs: z.number().int().positive().max(60_000),
  }),
  /** `count` streaming requests one after another; time from send to first content chunk. */
  z.object({
    kind: z.literal('first-token'),
    request: targetRequestSchema,
    dialect: dialectSchema,
    count: z.number().int().positive().max(10_000),
  }),
  /**
   * `count` triples, one request at a time: `baseline` (served at once), `failover` (the same
   * answer after one failed attempt; must report `x-shepherd-attempts: 2`) and `failedAttempt`
   * (the failing upstream asked directly; must answer `failedStatus`). Time to the response's end.
   */
  z.object({
    kind: z.literal('failover-latency'),
    baseline: targetRequestSchema,
    failover: targetRequestSchema,
    failedAttempt: targetRequestSchema,
    failedStatus: z.number().int(),
    count: z.number().int().positive().max(10_000),
  }),
]);
export type LoadJob = z.infer<typeof loadJobSchema>;

export const loadResultSchema = z.object({
  completed: z.number(),
  failed: z.number(),
  elapsedMs: z.number(),
  contentChunks: z.number(),
  /** First-token times in ms (first-token jobs only). */
  samplesMs: z.array(z.number()),
  /** Failover-latency jobs: the three series, index-aligned by triple. */
  failover: z
    .object({
      baselineMs: z.array(z.number()),
      failoverMs: z.array(z.number()),
      failedAttemptMs: z.array(z.number()),
    })
    .optional(),
  /** The first failure's description, when any request failed. */
  firstFailure: z.string().optional(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;
