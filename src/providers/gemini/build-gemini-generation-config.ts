import type { ChatRequest, ReasoningEffort } from '../../canonical/chat-request.ts';
import type { GeminiGenerationConfig } from './gemini-request-body.ts';

/**
 * `reasoning_effort` → Gemini 2.5 `thinkingBudget`, as Google's own OpenAI-compatibility layer
 * maps it (Gemini 3 models still accept a budget). `none` switches thinking off, which 2.5 Pro
 * refuses upstream with a 400: that refusal reaches the client rather than being papered over.
 *
 * @see https://ai.google.dev/gemini-api/docs/openai#thinking
 */
export const GEMINI_THINKING_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
};

/**
 * Builds `generationConfig` from the sampling fields the client sent, and nothing else: an absent
 * field stays absent so Gemini's own defaults apply, except that `outputTokensWhenUnset` (the cap
 * the pipeline held for) becomes `maxOutputTokens` when the client set no limit. Returns undefined
 * when there is nothing to send.
 *
 * - `json_schema` uses `responseJsonSchema`, which takes JSON Schema as is (Gemini 2.5 and later),
 *   rather than `responseSchema`, whose OpenAPI subset would force us to strip keywords and
 *   silently loosen the client's contract. Gemini always constrains decoding to the schema, so
 *   `strict` needs no field; `name` and `description` have none.
 * - Thought summaries are requested whenever thinking is on, so reasoning can be shown and billed.
 *
 * @see https://ai.google.dev/api/generate-content#generationconfig
 * @see https://ai.google.dev/gemini-api/docs/structured-output
 */
export function buildGeminiGenerationConfig(
  request: ChatRequest,
  outputTokensWhenUnset?: number,
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  const maxOutputTokens = request.maxOutputTokens ?? outputTokensWhenUnset;
  if (maxOutputTokens !== undefined) config.maxOutputTokens = maxOutputTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'text') config.responseMimeType = 'text/plain';
  else if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.schema;
  }
  if (request.reasoningEffort !== undefined) {
    const thinkingBudget = GEMINI_THINKING_BUDGETS[request.reasoningEffort];
    config.thinkingConfig =
      request.reasoningEffort === 'none'
        ? { thinkingBudget }
        : { thinkingBudget, includeThoughts: true };
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
