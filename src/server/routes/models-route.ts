import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../../routing/model-catalog.ts';
import {
  encodeOpenaiModel,
  encodeOpenaiModelList,
} from '../../surfaces/openai/encode-openai-models.ts';

/** `GET /v1/models` and `GET /v1/models/{id}`; ids may contain `/` (`anthropic/claude-sonnet-4`). */
export function registerModelsRoutes(
  app: FastifyInstance,
  dependencies: { catalog: ModelCatalog; createdAtSeconds: number },
) {
  const { catalog, createdAtSeconds } = dependencies;
  app.get('/models', async () => encodeOpenaiModelList([...catalog.models], createdAtSeconds));
  app.get('/models/*', async (request) => {
    const name = decodeURIComponent((request.params as { '*': string })['*']);
    return encodeOpenaiModel(catalog.resolve(name), createdAtSeconds);
  });
}
