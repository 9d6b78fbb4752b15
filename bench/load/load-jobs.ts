import * as z from 'zod';

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
  /** `count` non-streaming requests one after another; time from send to the end of the body. */
  z.object({
    kind: z.literal('latency'),
    request: targetRequestSchema,
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
  /** First-token times (first-token jobs) or whole-response times (latency jobs), ms. */
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

/**
 * Thousands of streaming requests held open at once (two calls: open them all, then wait for them
 * to end), on connections of their own, one stream per connection.
 */
export const slowStreamsJobSchema = z.object({
  request: targetRequestSchema,
  dialect: dialectSchema,
  count: z.number().int().positive().max(20_000),
  /** Content chunks a whole answer carries: a stream that delivers fewer was cut short. */
  expectedContentChunks: z.number().int().positive(),
  /** Streams are started this many at a time, this far apart, so listen backlogs keep up. */
  batchSize: z.number().int().positive(),
  batchIntervalMs: z.number().int().min(0),
  /** The open call answers once every stream has its first content chunk, or after this. */
  openTimeoutMs: z.number().int().positive().max(120_000),
  /** A stream still running this long after it was started is cut and counted as dropped. */
  streamTimeoutMs: z.number().int().positive().max(120_000),
});
export type SlowStreamsJob = z.infer<typeof slowStreamsJobSchema>;

/** The moment of full concurrency: how many streams were open with content flowing. */
export const slowStreamsOpenedSchema = z.object({
  started: z.number(),
  /** Streams that had received their first content chunk. */
  opened: z.number(),
  /** Of those, the ones still running: the concurrency actually reached. */
  openNow: z.number(),
  /** Streams started and not ended, content flowing or not (a target may queue some). */
  inFlight: z.number(),
  failed: z.number(),
  /** From the first stream started to this answer, ms. */
  elapsedMs: z.number(),
  firstContentP50Ms: z.number(),
  firstContentP99Ms: z.number(),
});
export type SlowStreamsOpened = z.infer<typeof slowStreamsOpenedSchema>;

export const slowStreamsResultSchema = z.object({
  count: z.number(),
  /** Streams that delivered the whole answer. */
  completed: z.number(),
  /** Streams that failed, ended short, or were cut at the stream timeout. */
  dropped: z.number(),
  contentChunks: z.number(),
  elapsedMs: z.number(),
  firstFailure: z.string().optional(),
});
export type SlowStreamsResult = z.infer<typeof slowStreamsResultSchema>;
