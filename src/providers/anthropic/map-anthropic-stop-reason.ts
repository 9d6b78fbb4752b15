import type { FinishReason } from '../../canonical/finish-reason.ts';

/**
 * `pause_turn` (a long server-tool turn the client may resume) ends this answer normally; an
 * unknown or missing reason is treated as a normal stop. Callers apply `finishWithToolCalls`.
 *
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'stop';
  }
}
