/** One text fragment of a message. */
export interface TextPart {
  type: 'text';
  text: string;
  /**
   * Answers only: the model declined instead of answering (OpenAI's `refusal`, structured outputs),
   * which OpenAI clients read apart from the content.
   */
  refusal?: true;
}

/** An image given by URL: `https://…` or a `data:<mime>;base64,…` URL. */
export interface ImagePart {
  type: 'image';
  url: string;
  detail?: 'auto' | 'low' | 'high';
}

/**
 * Model reasoning carried back on assistant turns. `signature` (Anthropic thinking) must be echoed
 * verbatim; `redactedData` holds an Anthropic `redacted_thinking` block.
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  redactedData?: string;
}

/** A tool call the assistant made. `arguments` is the JSON text exactly as the model produced it. */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
  /** Gemini `thoughtSignature` attached to a function call; echoed back on later turns. */
  signature?: string;
}

export type UserContentPart = TextPart | ImagePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;

export type ChatMessage =
  | { role: 'system'; content: TextPart[] }
  | { role: 'user'; content: UserContentPart[]; name?: string }
  | { role: 'assistant'; content: AssistantContentPart[] }
  | { role: 'tool'; toolCallId: string; content: TextPart[] };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean;
    };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high';

/**
 * A chat request after the inbound surface has validated it. Optional fields are absent when the
 * client did not send them: adapters never invent defaults.
 */
export interface ChatRequest {
  /** The model name the client asked for (public id or alias), before routing. */
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** The client asked for a final usage report (`stream_options.include_usage`). */
  includeUsage: boolean;
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  reasoningEffort?: ReasoningEffort;
  user?: string;
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /**
   * Models to try, in order, when `model` cannot answer (OpenRouter's `models`); replaces the
   * configured fallbacks. Read by routing only, never sent to a provider.
   */
  fallbackModels?: string[];
  /**
   * Fields the surface did not recognise, kept for OpenAI-compatible upstreams (vLLM `top_k`,
   * DeepSeek `thinking`, ...). Adapters that cannot forward them must reject them by name.
   */
  passthrough: Record<string, unknown>;
}
