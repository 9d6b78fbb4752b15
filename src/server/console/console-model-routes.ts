import type { FastifyInstance } from 'fastify';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { convertPrices } from './convert-model-prices.ts';

/** `GET /models`: the catalogue with prices in USD and in the wallet currency, context windows. */
export function registerConsoleModelRoutes(scope: FastifyInstance, context: ConsoleRouteContext) {
  const { config, currency } = context;
  const exchangeRate = config.billing.exchangeRate;
  const data = config.models.map((model) => ({
    id: model.id,
    aliases: model.aliases,
    ownedBy: model.ownedBy,
    contextWindow: model.contextWindow,
    maxOutputTokens: model.maxOutputTokens,
    free: model.free,
    pricing: model.pricing === undefined ? null : convertPrices(model.pricing, exchangeRate),
  }));
  scope.get('/models', async () => ({ currency, exchangeRate, data }));
}
