import type { ModelEntry } from '../config/config-schema.ts';

/**
 * Turns model names an operator typed (ids or aliases, any case) into the public ids a key's
 * allow-list holds, which is what the pipeline compares against the resolved model. Throws
 * `RangeError` naming every unknown model, so a typo never silently locks a key out.
 */
export function resolveAllowedModels(
  names: readonly string[],
  models: readonly Pick<ModelEntry, 'id' | 'aliases'>[],
): string[] {
  const byName = new Map<string, string>();
  for (const model of models) {
    for (const name of [model.id, ...model.aliases]) byName.set(name.toLowerCase(), model.id);
  }
  const resolved: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const id = byName.get(name.trim().toLowerCase());
    if (id === undefined) unknown.push(name);
    else if (!resolved.includes(id)) resolved.push(id);
  }
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown model${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => `"${name}"`).join(', ')}; known models: ${models.map((model) => model.id).join(', ')}`,
    );
  }
  return resolved;
}
