/**
 * Why generation ended, in the gateway's own vocabulary. Each surface maps it to its dialect
 * (OpenAI `tool_calls`, Anthropic `tool_use`, ...). `tool-calls` wins whenever a tool call was emitted.
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter';
