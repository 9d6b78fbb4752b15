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
  usage: Usage;
}
