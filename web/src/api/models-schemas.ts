import { z } from 'zod';

/** A price per 1M tokens, as exact decimal text (never a JSON number). */
const priceText = z.string().regex(/^\d+(\.\d+)?$/);

/** One currency's prices; only the kinds the model has are present. */
const pricesSchema = z.object({
  input: priceText.optional(),
  cachedInput: priceText.optional(),
  cacheWrite: priceText.optional(),
  cacheWrite1h: priceText.optional(),
  output: priceText.optional(),
});
export type Prices = z.output<typeof pricesSchema>;
export type PriceKind = keyof Prices;

export const catalogueModelSchema = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  ownedBy: z.string(),
  contextWindow: z.number().int().nonnegative(),
  maxOutputTokens: z.number().int().nonnegative(),
  free: z.boolean(),
  pricing: z
    .object({ usdPerMillionTokens: pricesSchema, walletPerMillionTokens: pricesSchema })
    .nullable(),
});
export type CatalogueModel = z.output<typeof catalogueModelSchema>;

/** `GET /models`: the catalogue, the wallet currency and the USD rate its prices were converted at. */
export const modelCatalogueSchema = z.object({
  currency: z.string(),
  exchangeRate: priceText,
  data: z.array(catalogueModelSchema),
});
export type ModelCatalogue = z.output<typeof modelCatalogueSchema>;
