import type { ChatRequest, ReasoningEffort } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { unsupportedParameter } from '../map-upstream-status.ts';
import type { AnthropicRequestBody } from './anthropic-request-body.ts';

/**
 * Thinking budget (tokens) for each OpenAI `reasoning_effort` level. `minimal` is Anthropic's
 * smallest allowed budget; the others grow roughly 2.5× per step, a common choice among gateways.
 * The budget counts toward `max_tokens`, so it is lowered to fit below it.
 */
export const THINKING_BUDGET_BY_EFFORT = {
  minimal: 1024,
  low: 4096,
  medium: 10240,
  high: 24576,
} as const satisfies Record<Exclude<ReasoningEffort, 'none'>, number>;

/** Anthropic rejects a smaller budget. */
const MINIMUM_THINKING_BUDGET = 1024;

/**
 * Maps `reasoning_effort` to extended thinking. `none` (or no effort) sends no `thinking`, which is
 * Anthropic's default of thinking disabled.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export function buildAnthropicThinking(
  effort: ReasoningEffort | undefined,
  maxTokens: number,
): AnthropicRequestBody['thinking'] {
  if (effort === undefined || effort === 'none') return undefined;
  // The budget must be strictly below max_tokens.
  const budget = Math.min(THINKING_BUDGET_BY_EFFORT[effort], maxTokens - 1);
  if (budget < MINIMUM_THINKING_BUDGET) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `\`reasoning_effort\` needs at least ${MINIMUM_THINKING_BUDGET} thinking tokens below the output limit: raise \`max_completion_tokens\` above ${MINIMUM_THINKING_BUDGET}.`,
      { param: 'reasoning_effort' },
    );
  }
  return { type: 'enabled', budget_tokens: budget };
}

/** Anthropic's smallest `top_p` with thinking on. */
const MINIMUM_THINKING_TOP_P = 0.95;

/**
 * With extended thinking on, Anthropic refuses (400) a `temperature` other than 1, a `top_p` below
 * 0.95, `top_k`, and a forced tool choice (`any` or a named tool; only `auto` and `none` may be
 * sent). Each is refused here by its OpenAI name, saying why, rather than sent to fail upstream or
 * silently dropped. `top_k` has no canonical field: as a passthrough it is refused for Anthropic
 * whether thinking is on or not.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export function rejectThinkingConflicts(request: ChatRequest, providerLabel: string): void {
  if (request.reasoningEffort === undefined || request.reasoningEffort === 'none') return;
  const refuse = (param: string, allowed: string): GatewayError =>
    unsupportedParameter(
      param,
      providerLabel,
      `with extended thinking on (\`reasoning_effort\`), which allows ${allowed}`,
    );
  if (request.temperature !== undefined && request.temperature !== 1) {
    throw refuse('temperature', 'only `temperature` 1');
  }
  if (request.topP !== undefined && request.topP < MINIMUM_THINKING_TOP_P) {
    throw refuse('top_p', `only \`top_p\` from ${MINIMUM_THINKING_TOP_P} to 1`);
  }
  if (request.toolChoice === 'required' || typeof request.toolChoice === 'object') {
    throw refuse('tool_choice', 'only `tool_choice` `auto` or `none`');
  }
}
