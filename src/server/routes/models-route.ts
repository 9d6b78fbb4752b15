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
  // Fastify has already percent-decoded the wildcard: decoding it again would read `100%25` as a
  // malformed escape (a 500) and `a%252F` as `a/`.
  app.get<{ Params: { '*': string } }>('/models/*', async (request) =>
    encodeOpenaiModel(catalog.resolve(request.params['*']), createdAtSeconds),
  );
}
