import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { issueApiKey } from '../../accounting/issue-api-key.ts';
import { resolveAllowedModels } from '../../accounting/resolve-allowed-models.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ApiKeyPolicy } from '../../storage/ledger-store.ts';
import { refuseRevokedKey } from '../console/console-key-routes.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { actorSchema, amountSchema, dateSchema, nameSchema } from './admin-schemas.ts';
import { encodeApiKey } from './encode-admin-views.ts';
import { encodeKeyPolicy } from './encode-key-policy.ts';
import { logAdminAction } from './log-admin-action.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';
import { requireAdminAccount } from './require-admin-account.ts';

const modelsSchema = z.array(z.string().trim().min(1).max(200)).max(500);

const createSchema = z.strictObject({
  name: nameSchema,
  expiresAt: dateSchema.optional(),
  monthlySpendCap: amountSchema.optional(),
  allowedModels: modelsSchema.optional(),
  actor: actorSchema.optional(),
});

const patchSchema = z
  .strictObject({
    monthlySpendCap: amountSchema.nullable().optional(),
    allowedModels: modelsSchema.nullable().optional(),
    expiresAt: dateSchema.nullable().optional(),
    actor: actorSchema.optional(),
  })
  .refine(
    (body) =>
      body.monthlySpendCap !== undefined ||
      body.allowedModels !== undefined ||
      body.expiresAt !== undefined,
    'send at least one of monthlySpendCap, allowedModels, expiresAt (null clears it)',
  );

const actorOnlySchema = z.strictObject({ actor: actorSchema.optional() }).optional();

/** API keys: issue (shown once), list, change the policy (cap, model allow-list, expiry), revoke. */
export function registerAdminKeyRoutes(admin: FastifyInstance, context: AdminRouteContext) {
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

  admin.post('/accounts/:id/keys', async (request, reply) => {
    const id = readIdParam(request.params);
    const body = parseAdminInput(createSchema, request.body, 'body');
    const account = await requireAdminAccount(store, id);
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
    logAdminAction(request, {
      action: 'key.create',
      actor: body.actor ?? 'admin-api',
      target: issued.keyId,
    });
    const stored = (await store.listApiKeys({ accountId: account.id })).find(
      (key) => key.id === issued.keyId,
    );
    if (stored === undefined) throw new Error('The new API key vanished.');
    void reply.code(201).header('cache-control', 'no-store');
    return {
      key: issued.key,
      notice: 'Copy the key now: it is not stored and cannot be shown again.',
      apiKey: encodeApiKey(stored, policy, context.now()),
    };
  });

  admin.get('/accounts/:id/keys', async (request) => {
    const account = await requireAdminAccount(store, readIdParam(request.params));
    const now = context.now();
    const data = [];
    for (const key of await store.listApiKeys({ accountId: account.id })) {
      data.push(encodeApiKey(key, await store.getApiKeyPolicy(key.id), now));
    }
    return { data };
  });

  admin.patch('/keys/:id', async (request) => {
    const id = readIdParam(request.params);
    const body = parseAdminInput(patchSchema, request.body, 'body');
    const current = await store.getApiKeyPolicy(id);
    const key = (await store.listApiKeys()).find((candidate) => candidate.id === id);
    if (current === undefined || key === undefined) {
      throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No API key with id ${id}.`, {
        param: 'id',
      });
    }
    refuseRevokedKey(key);
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
    logAdminAction(request, { action: 'key.policy', actor: body.actor ?? 'admin-api', target: id });
    return encodeKeyPolicy(id, next);
  });

  admin.delete('/keys/:id', async (request) => {
    const id = readIdParam(request.params);
    const body = parseAdminInput(actorOnlySchema, request.body, 'body') ?? {};
    if (!(await store.revokeApiKey(id))) {
      throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No active API key matches ${id}.`, {
        param: 'id',
      });
    }
    context.keysChanged();
    logAdminAction(request, { action: 'key.revoke', actor: body.actor ?? 'admin-api', target: id });
    return { id, revoked: true };
  });
}
