import type { ModelEntry } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { suggestModelNames } from './suggest-model-names.ts';

/** The configured models, looked up by public id or alias (case-insensitively). */
export interface ModelCatalog {
  readonly models: readonly ModelEntry[];
  find(name: string): ModelEntry | undefined;
  /** Like `find`, but an unknown name is a 404 `model_not_found` naming the closest models. */
  resolve(name: string): ModelEntry;
}

export function createModelCatalog(models: readonly ModelEntry[]): ModelCatalog {
  const byName = new Map<string, ModelEntry>();
  for (const model of models) {
    for (const name of [model.id, ...model.aliases]) byName.set(name.toLowerCase(), model);
  }
  const candidates = models.map((model) => ({ id: model.id, names: [model.id, ...model.aliases] }));
  const find = (name: string) => byName.get(name) ?? byName.get(name.toLowerCase());
  return {
    models,
    find,
    resolve(name) {
      const model = find(name);
      if (model !== undefined) return model;
      const suggestions = suggestModelNames({ requested: name, candidates });
      const hint =
        suggestions.length > 0
          ? ` Did you mean ${suggestions.map((id) => `\`${id}\``).join(', ')}?`
          : '';
      throw new GatewayError(
        'GW_ERR_MODEL_NOT_FOUND',
        `The model \`${truncate(name)}\` does not exist on this gateway.${hint} GET /v1/models lists every available model.`,
        { param: 'model' },
      );
    },
  };
}

function truncate(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}
