import type { ModelEntry } from '../../config/config-schema.ts';

/**
 * One entry of `GET /v1/models` in OpenAI's shape (`id`, `object`, `created`, `owned_by`) plus
 * extension fields clients can use to size and price requests: `context_window` and
 * `max_output_tokens` (tokens), `pricing` (USD per 1M tokens, the provider's list price) and/or
 * `free: true`, and `aliases` (other names that reach this model).
 *
 * @see https://platform.openai.com/docs/api-reference/models/object
 */
export function encodeOpenaiModel(model: ModelEntry, created: number): Record<string, unknown> {
  const encoded: Record<string, unknown> = {
    id: model.id,
    object: 'model',
    created,
    owned_by: model.ownedBy,
    context_window: model.contextWindow,
    max_output_tokens: model.maxOutputTokens,
  };
  const pricing = model.pricing;
  if (pricing !== undefined) {
    const price: Record<string, unknown> = {
      currency: 'USD',
      unit: 'per_1m_tokens',
      input: Number(pricing.input),
    };
    if (pricing.cachedInput !== undefined) price.cached_input = Number(pricing.cachedInput);
    if (pricing.cacheWrite !== undefined) price.cache_write = Number(pricing.cacheWrite);
    if (pricing.cacheWrite1h !== undefined) price.cache_write_1h = Number(pricing.cacheWrite1h);
    price.output = Number(pricing.output);
    encoded.pricing = price;
  }
  if (model.free) encoded.free = true;
  encoded.aliases = [...model.aliases];
  return encoded;
}

/** `GET /v1/models`: `{object: 'list', data: [...]}` in catalogue order. */
export function encodeOpenaiModelList(
  models: readonly ModelEntry[],
  created: number,
): Record<string, unknown> {
  return { object: 'list', data: models.map((model) => encodeOpenaiModel(model, created)) };
}
