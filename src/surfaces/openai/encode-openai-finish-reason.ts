import type { FinishReason } from '../../canonical/finish-reason.ts';

export type OpenaiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const FINISH_REASONS: Readonly<Record<FinishReason, OpenaiFinishReason>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
};

/** @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices */
export function encodeOpenaiFinishReason(reason: FinishReason): OpenaiFinishReason {
  return FINISH_REASONS[reason];
}
