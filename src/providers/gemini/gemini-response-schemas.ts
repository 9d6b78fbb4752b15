import * as z from 'zod';

/**
 * Lenient schemas for what Gemini sends: only the fields the gateway reads, all optional, unknown
 * fields ignored, so a new field or part kind never fails a response.
 *
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
export const geminiPartSchema = z.object({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: z
    .object({
      id: z.string().nullish(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});

export const geminiUsageMetadataSchema = z.object({
  promptTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
});

export const geminiResponseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(geminiPartSchema).nullish() }).nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: geminiUsageMetadataSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});

/** `{"error":{"code","message","status","details":[…]}}`, the google.rpc.Status JSON shape. */
export const geminiErrorBodySchema = z.object({
  error: z.object({
    code: z.number().nullish(),
    message: z.string().nullish(),
    status: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});

/** One entry of `error.details`; only RetryInfo and ErrorInfo are read. */
export const geminiErrorDetailSchema = z.object({
  '@type': z.string().nullish(),
  retryDelay: z.string().nullish(),
  reason: z.string().nullish(),
});

export type GeminiPartWire = z.infer<typeof geminiPartSchema>;
export type GeminiUsageMetadataWire = z.infer<typeof geminiUsageMetadataSchema>;
export type GeminiResponseWire = z.infer<typeof geminiResponseSchema>;
