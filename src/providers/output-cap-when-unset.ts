import type { BuildRequestInput } from './provider-adapter.ts';

/**
 * The output cap to send when the client set none: what the pipeline held for, never above the
 * model's catalogue maximum (the provider would refuse more). Undefined when the pipeline gave none.
 */
export function outputCapWhenUnset(
  input: Pick<BuildRequestInput, 'outputTokensWhenUnset' | 'catalogMaxOutputTokens'>,
): number | undefined {
  if (input.outputTokensWhenUnset === undefined) return undefined;
  return Math.min(input.outputTokensWhenUnset, input.catalogMaxOutputTokens);
}
