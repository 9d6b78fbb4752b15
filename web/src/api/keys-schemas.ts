import { z } from 'zod';
import { decimalText, microsText } from './console-schemas.ts';

export const keyStatusSchema = z.enum(['active', 'revoked', 'expired']);
export type KeyStatus = z.output<typeof keyStatusSchema>;

/** One key as `GET /keys` lists it: `key` is only the prefix and the last four characters. */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  status: keyStatusSchema,
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  monthlySpendCap: decimalText.nullable(),
  monthlySpendCapMicros: microsText.nullable(),
  /** `null`: every model. */
  allowedModels: z.array(z.string()).nullable(),
});
export type ApiKey = z.output<typeof apiKeySchema>;

export const keyListSchema = z.object({ data: z.array(apiKeySchema) });

/** `POST /keys`: `key` is the full secret, in this answer and nowhere else. */
export const createdKeySchema = z.object({
  key: z.string().min(1),
  notice: z.string(),
  apiKey: apiKeySchema,
});
export type CreatedKey = z.output<typeof createdKeySchema>;

/** `PATCH /keys/:id`: the policy as it now stands. */
export const keyPolicySchema = z.object({
  id: z.string(),
  monthlySpendCap: decimalText.nullable(),
  monthlySpendCapMicros: microsText.nullable(),
  allowedModels: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
});

export const revokedKeySchema = z.object({ id: z.string(), revoked: z.literal(true) });

/** Only what the allow-list picker needs from `GET /models`. */
export const modelIdsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** The body of `POST /keys`; absent fields mean "no limit". */
export interface CreateKeyBody {
  name: string;
  monthlySpendCap?: string;
  allowedModels?: string[];
  expiresAt?: string;
}

/** The body of `PATCH /keys/:id`: only the fields that change, `null` clears one. */
export interface KeyPolicyPatch {
  monthlySpendCap?: string | null;
  allowedModels?: string[] | null;
  expiresAt?: string | null;
}
