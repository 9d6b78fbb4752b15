import type { AssistantContentPart } from './chat-request.ts';
import type { FinishReason } from './finish-reason.ts';
import type { Usage } from './usage.ts';

/** A complete (non-streamed) answer in canonical form. */
export interface ChatResponse {
  /** The upstream's response id (surfaces may replace it with the gateway's). */
  id: string;
  /** The model that answered, as the upstream named it. */
  model: string;
  content: AssistantContentPart[];
  finishReason: FinishReason;
  /**
   * What the provider reported; undefined when its answer carried no usage (some OpenAI-compatible
   * servers, a Gemini answer without `usageMetadata`): the pipeline then bills an estimate.
   */
  usage: Usage | undefined;
}

/** An answer with the usage it was billed for: the provider's, or the pipeline's estimate. */
export interface BilledChatResponse extends ChatResponse {
  usage: Usage;
  /** The usage is the gateway's estimate (the provider reported none). */
  usageEstimated: boolean;
}
