import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { issueApiKey } from '../../accounting/issue-api-key.ts';
import { resolveAllowedModels } from '../../accounting/resolve-allowed-models.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ApiKeyPolicy } from '../../storage/ledger-store.ts';
import type { ApiKey } from '../../storage/store.ts';
import { amountSchema, dateSchema, nameSchema } from '../admin/admin-schemas.ts';
import { encodeApiKey } from '../admin/encode-admin-views.ts';
import { encodeKeyPolicy } from '../admin/encode-key-policy.ts';
import { parseAdminInput, readIdParam } from '../admin/parse-admin-input.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';

const modelsSchema = z.array(z.string().trim().min(1).max(200)).max(500);

const createSchema = z.strictObject({
  name: nameSchema,
  expiresAt: dateSchema.optional(),
  monthlySpendCap: amountSchema.optional(),
  allowedModels: modelsSchema.optional(),
});

const policySchema = z
  .strictObject({
    monthlySpendCap: amountSchema.nullable().optional(),
    allowedModels: modelsSchema.nullable().optional(),
    expiresAt: dateSchema.nullable().optional(),
  })
  .refine(
    (body) =>
      body.monthlySpendCap !== undefined ||
      body.allowedModels !== undefined ||
      body.expiresAt !== undefined,
    'send at least one of monthlySpendCap, allowedModels, expiresAt (null clears it)',
  );

/**
 * The signed-in user's own API keys: list (prefix and last four), create (the key shown once),
 * change the policy (monthly cap, allowed models, expiry), revoke. A key of another account is
 * answered 404, exactly like one that does not exist.
 */
export function registerConsoleKeyRoutes(scope: FastifyInstance, context: ConsoleRouteContext) {
  const { store, config } = context;
  const allowedModels = (names: readonly string[]) => {
    try {
      return resolveAllowedModels(names, config.models);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new GatewayError('GW_ERR_INVALID_REQUEST', `allowedModels: ${message}.`, {
        param: 'allowedModels',
      });
    }
  };
  const ownKey = async (accountId: string, id: string): Promise<ApiKey> => {
    const key = (await store.listApiKeys({ accountId })).find((candidate) => candidate.id === id);
    if (key === undefined) {
      throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No API key with id ${id}.`, {
        param: 'id',
      });
    }
    return key;
  };

  scope.get('/keys', async (request) => {
    const { accountId } = readConsoleAuth(request).user;
    const now = context.now();
    const data = [];
    for (const key of await store.listApiKeys({ accountId })) {
      data.push(encodeApiKey(key, await store.getApiKeyPolicy(key.id), now));
    }
    return { data };
  });

  scope.post('/keys', async (request, reply) => {
    const { user } = readConsoleAuth(request);
    const body = parseAdminInput(createSchema, request.body, 'body');
    const account = await store.getAccountById(user.accountId);
    if (account === undefined) throw new Error('A console user has no account.');
    // As vouchers/batches: a key that is expired when it is made is a mistake, never an intent.
    if (body.expiresAt !== undefined && body.expiresAt.getTime() <= context.now().getTime()) {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', 'expiresAt is in the past.', {
        param: 'expiresAt',
      });
    }
    const models = body.allowedModels === undefined ? null : allowedModels(body.allowedModels);
    const issued = await issueApiKey({
      store,
      pepper: context.pepper,
      accountName: account.name,
      keyName: body.name,
      ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
    });
    const policy: ApiKeyPolicy = {
      monthlySpendCapMicros: body.monthlySpendCap ?? null,
      allowedModels: models,
      expiresAt: body.expiresAt ?? null,
    };
    if (policy.monthlySpendCapMicros !== null || policy.allowedModels !== null) {
      try {
        await store.setApiKeyPolicy(issued.keyId, policy);
      } catch (error) {
        // A key must never exist without the limits it was asked for.
        await store.revokeApiKey(issued.keyId);
        throw error;
      }
    }
    const stored = await ownKey(account.id, issued.keyId);
    void reply.code(201).header('cache-control', 'no-store');
    return {
      key: issued.key,
      notice: 'Copy the key now: it is not stored and cannot be shown again.',
      apiKey: encodeApiKey(stored, policy, context.now()),
    };
  });

  scope.patch('/keys/:id', async (request) => {
    const { accountId } = readConsoleAuth(request).user;
    const id = readIdParam(request.params);
    const body = parseAdminInput(policySchema, request.body, 'body');
    refuseRevokedKey(await ownKey(accountId, id));
    const current = await store.getApiKeyPolicy(id);
    if (current === undefined) throw new Error('An API key vanished while its policy changed.');
    const next: ApiKeyPolicy = {
      monthlySpendCapMicros:
        body.monthlySpendCap === undefined ? current.monthlySpendCapMicros : body.monthlySpendCap,
      allowedModels:
        body.allowedModels === undefined
          ? current.allowedModels
          : body.allowedModels === null
            ? null
            : allowedModels(body.allowedModels),
      expiresAt: body.expiresAt === undefined ? current.expiresAt : body.expiresAt,
    };
    await store.setApiKeyPolicy(id, next);
    context.keysChanged();
    return encodeKeyPolicy(id, next);
  });

  scope.delete('/keys/:id', async (request) => {
    const { accountId } = readConsoleAuth(request).user;
    const id = readIdParam(request.params);
    const key = await ownKey(accountId, id);
    if (key.revokedAt === null) await store.revokeApiKey(id);
    context.keysChanged();
    return { id, revoked: true };
  });
}

/** A revoked key is never used again: a policy change to it would only mislead whoever reads it. */
export function refuseRevokedKey(key: Pick<ApiKey, 'id' | 'revokedAt'>): void {
  if (key.revokedAt !== null) {
    throw new GatewayError(
      'GW_ERR_API_KEY_REVOKED',
      `The API key ${key.id} is revoked; its policy can no longer change. Create a new key instead.`,
      { param: 'id' },
    );
  }
}
