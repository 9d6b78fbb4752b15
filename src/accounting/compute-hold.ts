import type { ChatRequest } from '../canonical/chat-request.ts';
import { createUsage } from '../canonical/usage.ts';
import type { ModelEntry } from '../config/config-schema.ts';
import { billablePricing } from './billable-pricing.ts';
import { computeCostMicros } from './compute-cost.ts';
import { estimatePromptTokens } from './estimate-prompt-tokens.ts';

export interface ComputeHoldInput {
  request: ChatRequest;
  model: Pick<ModelEntry, 'free' | 'pricing' | 'maxOutputTokens'>;
  /** Wallet currency units per USD, as decimal text (`billing.exchangeRate`). */
  exchangeRate: string;
  /** Output tokens held when the client sets no limit (`billing.defaultHoldOutputTokens`). */
  defaultHoldOutputTokens: number;
}

export interface Hold {
  holdMicros: bigint;
  /** The prompt estimate the hold used (also the input of a cut stream's estimated usage). */
  promptTokens: number;
  /** The output tokens the hold covers. */
  outputTokens: number;
}

/**
 * The credit held before the upstream call (ledger.md I4): the worst case of estimated prompt
 * tokens at the plain input price plus the output limit at the output price. The output limit is
 * the client's `max_tokens`, else `defaultHoldOutputTokens`, and never more than the model's
 * maximum (the provider cannot produce more). Free models hold nothing.
 *
 * Prompt tokens are held at the input price, not at a cache-write surcharge: the byte-based
 * estimate already runs above real counts for most text, and a request that still costs more is
 * charged in full and bounded by I4.
 */
export function computeHoldMicros({
  request,
  model,
  exchangeRate,
  defaultHoldOutputTokens,
}: ComputeHoldInput): Hold {
  const promptTokens = estimatePromptTokens(request);
  const outputTokens = Math.min(
    request.maxOutputTokens ?? defaultHoldOutputTokens,
    model.maxOutputTokens,
  );
  const pricing = billablePricing(model);
  const holdMicros =
    pricing === undefined
      ? 0n
      : computeCostMicros({
          usage: createUsage({ inputTokens: promptTokens, outputTokens }),
          pricing,
          exchangeRate,
        });
  return { holdMicros, promptTokens, outputTokens };
}
