/**
 * Why generation ended, in the gateway's own vocabulary. Each surface maps it to its dialect
 * (OpenAI `tool_calls`, Anthropic `tool_use`, ...).
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter';

/**
 * The finish of an answer that emitted tool calls: a normal stop becomes `tool-calls` (Gemini and
 * several OpenAI-compatible servers say STOP after a call). A truncation or a filter stays what it
 * is: the last call may then be cut mid-arguments, and a client told `tool_calls` would run it
 * (OpenAI itself answers `length` when `max_tokens` cuts a call).
 */
export function finishWithToolCalls(reason: FinishReason, hasToolCalls: boolean): FinishReason {
  return hasToolCalls && reason === 'stop' ? 'tool-calls' : reason;
}
