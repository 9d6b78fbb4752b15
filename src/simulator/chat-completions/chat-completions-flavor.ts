import { simulatedId } from '../simulated-id.ts';

/** OpenAI itself, or DeepSeek's variant of the same wire format. */
export type ChatCompletionsFlavor = 'openai' | 'deepseek';

export const SYSTEM_FINGERPRINT = 'fp_shepherdsim';

/** OpenAI ids look like `chatcmpl-…`; DeepSeek's are UUIDs. */
export function completionId(flavor: ChatCompletionsFlavor, sequence: number): string {
  if (flavor === 'openai') return `chatcmpl-${simulatedId(sequence)}`;
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

export function toolCallId(flavor: ChatCompletionsFlavor, sequence: number): string {
  return flavor === 'openai' ? `call_${simulatedId(sequence)}` : `call_0_${simulatedId(sequence)}`;
}

export function requestId(sequence: number): string {
  return `req_${simulatedId(sequence)}`;
}
