import { GatewayError } from '../errors/gateway-error.ts';

/**
 * Refuses an output limit above the model's catalogue maximum, as OpenAI does ("max_tokens is too
 * large"), instead of forwarding a value the provider refuses or that outruns what was held for
 * the request. The canonical field does not say which of `max_tokens` / `max_completion_tokens`
 * the client used, so the error names `max_tokens`, the parameter every adapter was built around.
 */
export function checkMaxOutputTokens(
  maxOutputTokens: number | undefined,
  catalogMaxOutputTokens: number,
): void {
  if (maxOutputTokens === undefined || maxOutputTokens <= catalogMaxOutputTokens) return;
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    `\`max_tokens\` is too large: ${maxOutputTokens}. This model supports at most ${catalogMaxOutputTokens} output tokens.`,
    { param: 'max_tokens' },
  );
}
