/** The four wire dialects the simulator plays. */
export type DialectName = 'openai' | 'deepseek' | 'anthropic' | 'gemini';

/**
 * One piece of prompt text (a message, a system block, a content block). Segments in order make the
 * prompt; a segment marked `cacheBreakpoint` ends a prefix that the prompt cache remembers.
 */
export interface PromptSegment {
  text: string;
  cacheBreakpoint: boolean;
}

export interface SimulatedTool {
  name: string;
  /** The tool's JSON schema as the client sent it (any dialect's spelling). */
  parameters: unknown;
}

export type SimulatedToolChoice =
  | { mode: 'auto' }
  | { mode: 'none' }
  | { mode: 'required' }
  | { mode: 'named'; name: string };

/** `visible`: reasoning text is streamed; `hidden`: only counted (OpenAI o-series, Gemini without includeThoughts). */
export type ReasoningMode = 'none' | 'visible' | 'hidden';

/** What every dialect's request parser reduces a request to; the answer planner sees only this. */
export interface SimulationInput {
  model: string;
  segments: PromptSegment[];
  /** True when the conversation ends with the user's own words (not a tool result). */
  endsWithUserText: boolean;
  /** Text of the last user message that has text; source of the `[simulate …]` directive. */
  lastUserText: string;
  tools: SimulatedTool[];
  toolChoice: SimulatedToolChoice;
  maxOutputTokens: number | undefined;
  reasoning: ReasoningMode;
}
