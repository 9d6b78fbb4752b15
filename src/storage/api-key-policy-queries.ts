import * as z from 'zod';
import { safeParseJson } from '../util/safe-parse-json.ts';
import type { ApiKeyPolicy } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import type { StoreContext } from './store-context.ts';

const allowedModelsSchema = z.array(z.string());

export async function getApiKeyPolicy(
  context: StoreContext,
  keyId: string,
): Promise<ApiKeyPolicy | undefined> {
  const row = await context.db
    .selectFrom('api_keys')
    .select(['monthly_spend_cap_micros', 'allowed_models', 'expires_at'])
    .where('id', '=', keyId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    monthlySpendCapMicros: row.monthly_spend_cap_micros,
    allowedModels: row.allowed_models === null ? null : parseAllowedModels(row.allowed_models),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  };
}

/** Replaces the key's cap, model list and expiry; returns whether the key exists. */
export async function setApiKeyPolicy(
  context: StoreContext,
  keyId: string,
  policy: ApiKeyPolicy,
): Promise<boolean> {
  const cap = policy.monthlySpendCapMicros;
  if (cap !== null && cap < 0n) throw new RangeError('A monthly spend cap is never negative.');
  const result = await context.db
    .updateTable('api_keys')
    .set({
      monthly_spend_cap_micros: cap,
      allowed_models: policy.allowedModels === null ? null : JSON.stringify(policy.allowedModels),
      expires_at: policy.expiresAt === null ? null : toTimestamp(policy.expiresAt),
    })
    .where('id', '=', keyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The column is only ever written by `setApiKeyPolicy`; anything else is corruption. */
function parseAllowedModels(text: string): string[] {
  const parsed = safeParseJson(text);
  const models = parsed.ok ? allowedModelsSchema.safeParse(parsed.value) : undefined;
  if (models?.success !== true) {
    throw new Error('An API key has an allowed_models value that is not a JSON list of strings.');
  }
  return models.data;
}
