export interface SimulatedToolCall {
  name: string;
  arguments: Record<string, unknown>;
  argumentsJson: string;
  /** `argumentsJson` cut into the fragments a stream sends (their concatenation is `argumentsJson`). */
  argumentPieces: string[];
  /** Output tokens the call costs: one for the name plus ceil(length / 4) per fragment. */
  tokens: number;
}

/** Token counts in neutral terms; each dialect renders them in its own usage shape. */
export interface SimulatedUsage {
  /** Every prompt token, cache reads and writes included. */
  promptTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Subset of `outputTokens`. */
  reasoningTokens: number;
  outputTokens: number;
}

export type SimulatedFinish = 'stop' | 'length' | 'tool_call';

/** The whole answer, decided before the first byte is written (the simulator is deterministic). */
export interface SimulatedAnswer {
  /** One entry per token, leading whitespace included, so `join('')` is the text. */
  reasoningTokens: string[];
  textTokens: string[];
  toolCall: SimulatedToolCall | undefined;
  finish: SimulatedFinish;
  usage: SimulatedUsage;
}
