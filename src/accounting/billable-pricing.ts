import type { ModelEntry, ModelPricing } from '../config/config-schema.ts';

/**
 * The prices a model is charged at, or `undefined` when it is served free: marked `free: true`
 * (which wins over any pricing also given) or without pricing (the config allows that only for
 * free models). Holds and settlements must both use this, so a hold is never 0 for a charged model.
 */
export function billablePricing(
  model: Pick<ModelEntry, 'free' | 'pricing'>,
): ModelPricing | undefined {
  return model.free ? undefined : model.pricing;
}
