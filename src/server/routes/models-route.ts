import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ModelCatalog } from '../../routing/model-catalog.ts';
import {
  encodeOpenaiModel,
  encodeOpenaiModelList,
} from '../../surfaces/openai/encode-openai-models.ts';

/**
 * `GET /v1/models` and `GET /v1/models/{id}`; ids may contain `/` (`anthropic/claude-sonnet-4`).
 * A key with a model allow-list sees only those models, as OpenAI lists only what a key can use:
 * clients that offer the list as choices would otherwise offer models that answer 403.
 */
export function registerModelsRoutes(
  app: FastifyInstance,
  dependencies: { catalog: ModelCatalog; createdAtSeconds: number },
) {
  const { catalog, createdAtSeconds } = dependencies;
  app.get('/models', async (request) => {
    const allowed = allowedModels(request);
    const models =
      allowed === null
        ? catalog.models
        : catalog.models.filter((model) => allowed.includes(model.id));
    return encodeOpenaiModelList([...models], createdAtSeconds);
  });
  // Fastify has already percent-decoded the wildcard: decoding it again would read `100%25` as a
  // malformed escape (a 500) and `a%252F` as `a/`.
  app.get<{ Params: { '*': string } }>('/models/*', async (request) => {
    const model = catalog.resolve(request.params['*']);
    const allowed = allowedModels(request);
    if (allowed !== null && !allowed.includes(model.id)) {
      throw new GatewayError(
        'GW_ERR_MODEL_NOT_ALLOWED',
        `This API key may not use \`${model.id}\`. It may use: ${allowed.map((id) => `\`${id}\``).join(', ') || 'no models'}.`,
        { param: 'model' },
      );
    }
    return encodeOpenaiModel(model, createdAtSeconds);
  });
}

/** The key's allow-list; null when it may use every model (or no key was checked, in tests). */
function allowedModels(request: FastifyRequest): readonly string[] | null {
  return request.identity?.allowedModels ?? null;
}
