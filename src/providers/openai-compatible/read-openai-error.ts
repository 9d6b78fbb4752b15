import * as z from 'zod';
import { isRecord } from '../../util/safe-parse-json.ts';

/** The parts of an upstream error object the gateway acts on; each may be missing. */
export interface OpenAIErrorDetail {
  message: string | undefined;
  type: string | undefined;
  /** OpenAI sends a string (`context_length_exceeded`); vLLM and llama.cpp send the HTTP status. */
  code: string | number | undefined;
}

const text = z.string().nullish().catch(undefined);

const detailSchema = z.object({
  message: text,
  type: text,
  code: z.union([z.string(), z.number()]).nullish().catch(undefined),
});

/**
 * Reads an error object in the shapes OpenAI-compatible servers use: `{"error":{…}}` (OpenAI,
 * DeepSeek, Ollama, current vLLM), `{"error":"…"}`, a top-level `{"object":"error","message":…}`
 * (older vLLM) and FastAPI's `{"detail":"…"}`. Undefined when the value is none of them.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function readOpenAIError(value: unknown): OpenAIErrorDetail | undefined {
  if (!isRecord(value)) return undefined;
  const { error } = value;
  if (typeof error === 'string') return { message: error, type: undefined, code: undefined };
  if (isRecord(error)) return toDetail(detailSchema.parse(error));
  if (value.object === 'error') return toDetail(detailSchema.parse(value));
  if (typeof value.detail === 'string') {
    return { message: value.detail, type: undefined, code: undefined };
  }
  return undefined;
}

function toDetail(parsed: z.infer<typeof detailSchema>): OpenAIErrorDetail {
  return {
    message: parsed.message ?? undefined,
    type: parsed.type ?? undefined,
    code: parsed.code ?? undefined,
  };
}
