import { createUsage, EMPTY_USAGE, type Usage } from '../canonical/usage.ts';
import { countOutputTokens } from './count-output-tokens.ts';

export interface EstimatePartialUsageInput {
  /** The provider's last usage snapshot before the cut, if any arrived. */
  reportedUsage: Usage | undefined;
  /** The hold's prompt estimate (`computeHoldMicros(...).promptTokens`). */
  promptTokensEstimate: number;
  /** Answer text delivered to the client. Never error text: errors are not model output. */
  deliveredText: string;
  deliveredToolArguments?: string;
  deliveredReasoning?: string;
}

/**
 * The usage to bill for a stream cut before the provider's final usage arrived (the provider
 * still bills what it generated; ADR 0003 step 3). The caller flags the charge `estimated`.
 *
 * - Input: the provider's reported input (with its cache split) when a snapshot carried one
 *   (some providers send it at the start of the stream), else the prompt estimate.
 * - Output: the larger of the reported output and the o200k token count of what was delivered
 *   (text, reasoning and tool-call arguments), so it is never 0 when anything was delivered.
 * - Nothing reported and nothing delivered: zero usage, since there is no sign the provider billed
 *   anything (ledger.md I11).
 */
export function estimatePartialUsage({
  reportedUsage,
  promptTokensEstimate,
  deliveredText,
  deliveredToolArguments = '',
  deliveredReasoning = '',
}: EstimatePartialUsageInput): Usage {
  if (
    reportedUsage === undefined &&
    deliveredText === '' &&
    deliveredToolArguments === '' &&
    deliveredReasoning === ''
  ) {
    return { ...EMPTY_USAGE };
  }
  const reasoning = countOutputTokens(deliveredReasoning);
  const counted =
    countOutputTokens(deliveredText) + reasoning + countOutputTokens(deliveredToolArguments);
  const outputTokens = Math.max(reportedUsage?.outputTokens ?? 0, counted);
  const reasoningTokens = Math.min(
    outputTokens,
    Math.max(reportedUsage?.reasoningTokens ?? 0, reasoning),
  );
  // A prompt has at least one token: a reported 0 means the count had not arrived yet.
  const inputArrived = reportedUsage !== undefined && reportedUsage.inputTokens > 0;
  return createUsage(
    inputArrived
      ? {
          inputTokens: reportedUsage.inputTokens,
          cachedInputTokens: reportedUsage.cachedInputTokens,
          cacheWriteTokens: reportedUsage.cacheWriteTokens,
          cacheWrite1hTokens: reportedUsage.cacheWrite1hTokens,
          outputTokens,
          reasoningTokens,
        }
      : { inputTokens: promptTokensEstimate, outputTokens, reasoningTokens },
  );
}

/**
 * What an estimated usage may charge: never more than the hold, since an estimate (not the
 * provider's invoice) must not push an account below zero. A cost from provider-reported usage is
 * never capped: the provider billed it, so it is charged in full even past the hold (I4).
 */
export function capCostAtHold(costMicros: bigint, holdMicros: bigint): bigint {
  return costMicros < holdMicros ? costMicros : holdMicros;
}
