import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import * as z from 'zod';
import { configSchema } from '../../config/config-schema.ts';
import { createModelCatalog } from '../../routing/model-catalog.ts';
import { registerErrorHandlers } from '../handle-errors.ts';
import { registerModelsRoutes } from './models-route.ts';

const modelSchema = z.object({ id: z.string(), object: z.literal('model') });
const errorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
  }),
});

/** The routes alone, over a catalogue whose ids hold `%` and `/`. */
async function routesAlone() {
  const model = (id: string) => ({
    id,
    ownedBy: 'test',
    contextWindow: 1000,
    maxOutputTokens: 100,
    free: true,
    routes: [{ provider: 'local', model: 'm' }],
  });
  const config = configSchema.parse({
    providers: { local: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1' } },
    models: [model('100%'), model('a%2F'), model('anthropic/claude-sonnet-4')],
  });
  const app = Fastify();
  registerErrorHandlers(app);
  await app.register(
    async (v1) =>
      registerModelsRoutes(v1, { catalog: createModelCatalog(config.models), createdAtSeconds: 1 }),
    { prefix: '/v1' },
  );
  return app;
}

test('GET /v1/models/{id} reads the id once decoded, as Fastify gives it', async (context) => {
  const app = await routesAlone();
  context.after(() => app.close());
  for (const [path, id] of [
    ['100%25', '100%'],
    ['a%252F', 'a%2F'],
    ['anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4'],
    ['anthropic%2Fclaude-sonnet-4', 'anthropic/claude-sonnet-4'],
  ] as const) {
    const response = await app.inject({ method: 'GET', url: `/v1/models/${path}` });
    assert.equal(response.statusCode, 200, path);
    assert.equal(modelSchema.parse(response.json()).id, id, path);
  }
});

test('an unknown id, a `%` in it or not, is a 404 in OpenAI’s error shape', async (context) => {
  const app = await routesAlone();
  context.after(() => app.close());
  for (const path of ['nope', '50%25', 'a%2F']) {
    const response = await app.inject({ method: 'GET', url: `/v1/models/${path}` });
    assert.equal(response.statusCode, 404, path);
    const { error } = errorSchema.parse(response.json());
    assert.equal(error.code, 'model_not_found', path);
    assert.equal(error.param, 'model', path);
  }
});
