/**
 * OpenAI request fields that concern only OpenAI's own platform and change no answer: whether the
 * completion is kept for OpenAI's dashboards (`store`, and the `metadata` tags stored with it), a
 * hint for routing to OpenAI's prompt cache (`prompt_cache_key`, `prompt_cache_retention`), an
 * end-user id for OpenAI's abuse monitoring (`safety_identifier`), and the standard service tier
 * (`service_tier` `auto` or `default`; the surface refuses the tiers priced otherwise). Clients and
 * frameworks send them whatever the model, so a provider that has none of them leaves them out
 * rather than failing the request. OpenAI-compatible upstreams are sent them as they came.
 */
const ANSWER_NEUTRAL_FIELDS: ReadonlySet<string> = new Set([
  'store',
  'metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'service_tier',
]);

/**
 * The first passthrough field an adapter that forwards none must refuse by name, or undefined:
 * every field but the answer-neutral ones above, whose meaning for another provider is unknown
 * (`top_k`, `verbosity`, a provider's own `thinking`, …) and which may change the answer.
 */
export function firstUnforwardableField(passthrough: Record<string, unknown>): string | undefined {
  for (const name of Object.keys(passthrough)) {
    if (!ANSWER_NEUTRAL_FIELDS.has(name)) return name;
  }
  return undefined;
}
