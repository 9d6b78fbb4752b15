import * as z from 'zod';

const chunkCount = z.number().int().min(0).max(1_000_000);

/** One injectable fault. Every field is optional; at least one must make the request fail. */
export const faultSpecSchema = z
  .strictObject({
    /** Only requests for this model. */
    model: z.string().min(1).optional(),
    /** How many matching requests the fault applies to (default: until cleared). */
    times: z.number().int().positive().optional(),
    /**
     * Share of matching requests the fault fires for, in (0, 1] (default 1). A request it does not
     * fire for is answered normally and does not use up `times`.
     */
    probability: z.number().gt(0).max(1).optional(),
    /** Answer with this status and the provider's own error body. */
    status: z.number().int().min(400).max(599).optional(),
    /** Retry delay to announce (429 defaults to 1 s). */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    /** Stream: destroy the socket after this many content chunks, without a terminator. */
    cutAfterChunks: chunkCount.optional(),
    /** Delay before the response headers, or mid-stream with `stallAfterChunks`. */
    stallMs: z.number().int().min(0).max(600_000).optional(),
    stallAfterChunks: chunkCount.optional(),
    /** Stream: send one event whose data is not valid JSON, then carry on. */
    malformedAfterChunks: chunkCount.optional(),
    /** Stream: send the provider's own mid-stream error event, then end the response. */
    errorEventAfterChunks: chunkCount.optional(),
    /** Destroy the socket without answering. */
    resetConnection: z.boolean().optional(),
  })
  .refine((spec) => spec.stallAfterChunks === undefined || spec.stallMs !== undefined, {
    message: 'stallAfterChunks needs stallMs',
    path: ['stallMs'],
  })
  .refine(
    (spec) =>
      spec.status !== undefined ||
      spec.cutAfterChunks !== undefined ||
      spec.stallMs !== undefined ||
      spec.malformedAfterChunks !== undefined ||
      spec.errorEventAfterChunks !== undefined ||
      spec.resetConnection === true,
    {
      message:
        'a fault needs at least one effect (status, stall, cut, malformed, error event or reset)',
    },
  );

export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** Several specs at once, as the admin endpoint accepts them. */
export const faultSpecListSchema = z.array(faultSpecSchema).max(100);
