import * as z from 'zod';

const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.looseObject({ name: z.string(), args: z.unknown().optional() }).optional(),
  functionResponse: z
    .looseObject({ name: z.string(), response: z.unknown().optional() })
    .optional(),
});

const content = z.looseObject({ role: z.string().optional(), parts: z.array(part) });

const functionDeclaration = z.looseObject({
  name: z.string().min(1),
  parameters: z.unknown().optional(),
  parametersJsonSchema: z.unknown().optional(),
});

/**
 * The part of a `generateContent` request the simulator reads.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export const geminiRequestSchema = z.looseObject({
  contents: z.array(content).min(1),
  systemInstruction: z.looseObject({ parts: z.array(part) }).optional(),
  tools: z
    .array(z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() }))
    .optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({
          mode: z.string().optional(),
          allowedFunctionNames: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  generationConfig: z
    .looseObject({
      maxOutputTokens: z.number().int().min(1).optional(),
      presencePenalty: z.number().optional(),
      frequencyPenalty: z.number().optional(),
      thinkingConfig: z
        .looseObject({
          includeThoughts: z.boolean().optional(),
          thinkingBudget: z.number().int().optional(),
          thinkingLevel: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});

export type GeminiRequest = z.infer<typeof geminiRequestSchema>;
export type GeminiPart = z.infer<typeof part>;
