import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ADMIN_TEST_TOKEN } from './start-admin-test-app.ts';

export interface InjectedResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  body: unknown;
}

/** Sends one request through the app; `auth` is the whole Authorization header (null for none). */
export async function send(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'HEAD' | 'PUT' | 'OPTIONS',
  url: string,
  options: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<InjectedResponse> {
  const auth = options.auth === undefined ? `Bearer ${ADMIN_TEST_TOKEN}` : options.auth;
  const response = await app.inject({
    method,
    url,
    headers: {
      ...(auth === null ? {} : { authorization: auth }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
  let body: unknown;
  try {
    body = response.json();
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text: response.body, body };
}

/** Asserts the status and parses the body with the schema (so a wrong shape fails the test). */
export function expect<Schema extends z.ZodType>(
  response: InjectedResponse,
  status: number,
  schema: Schema,
): z.output<Schema> {
  assert.equal(response.status, status, response.text);
  const parsed = schema.safeParse(response.body);
  assert.ok(parsed.success, `${parsed.error?.message}\n${response.text}`);
  return parsed.data;
}

/** Money is decimal text in JSON, never a number. */
const decimal = z.string().regex(/^-?\d+(\.\d{1,6})?$/);
const micros = z.string().regex(/^-?\d+$/);

export const errorSchema = z.strictObject({
  error: z.strictObject({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
  }),
});

export const balanceSchema = z.strictObject({
  currency: z.string(),
  posted: decimal,
  postedMicros: micros,
  held: decimal,
  heldMicros: micros,
  available: decimal,
  availableMicros: micros,
});

export const accountSchema = z.strictObject({
  id: z.string().regex(/^acct_/),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.iso.datetime(),
  disabledAt: z.iso.datetime().nullable(),
  balance: balanceSchema,
});

export const creditSchema = z.strictObject({
  transactionId: z.string(),
  duplicate: z.boolean(),
  kind: z.enum(['top_up', 'adjustment', 'refund']),
  accountId: z.string(),
  amount: decimal,
  amountMicros: micros,
  balance: balanceSchema,
});

export const ledgerSchema = z.strictObject({
  accountId: z.string(),
  balance: balanceSchema,
  entries: z.array(
    z.strictObject({
      transactionId: z.string(),
      kind: z.string(),
      amount: decimal,
      amountMicros: micros,
      requestId: z.string().nullable(),
      actor: z.string().nullable(),
      reason: z.string().nullable(),
      createdAt: z.iso.datetime(),
    }),
  ),
});

export const apiKeySchema = z.strictObject({
  id: z.string().regex(/^key_/),
  accountId: z.string(),
  name: z.string(),
  key: z.string(),
  status: z.enum(['active', 'revoked', 'expired']),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  monthlySpendCap: decimal.nullable(),
  monthlySpendCapMicros: micros.nullable(),
  allowedModels: z.array(z.string()).nullable(),
});

export const keyPolicySchema = z.strictObject({
  id: z.string(),
  monthlySpendCap: decimal.nullable(),
  monthlySpendCapMicros: micros.nullable(),
  allowedModels: z.array(z.string()).nullable(),
  expiresAt: z.iso.datetime().nullable(),
});

export const batchSchema = z.strictObject({
  id: z.string().regex(/^vbat_/),
  name: z.string(),
  currency: z.string(),
  amount: decimal,
  amountMicros: micros,
  count: z.number().int(),
  redeemedCount: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
});

export const voucherSchema = z.strictObject({
  id: z.string(),
  lastFour: z.string().length(4),
  state: z.enum(['available', 'redeemed', 'expired']),
  redeemedAt: z.iso.datetime().nullable(),
  redeemedBy: z.string().nullable(),
});

export const redemptionSchema = z.strictObject({
  object: z.literal('voucher.redemption'),
  currency: z.string(),
  amount: decimal,
  amount_micros: micros,
  balance: z.strictObject({
    posted: decimal,
    posted_micros: micros,
    held: decimal,
    held_micros: micros,
    available: decimal,
    available_micros: micros,
  }),
});
