import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { openAccount } from '../../accounting/open-account.ts';
import { parseScaledDecimal } from '../../accounting/parse-scaled-decimal.ts';
import { setAccountDisabled } from '../../accounting/set-account-disabled.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { actorSchema, nameSchema } from './admin-schemas.ts';
import { encodeAccount } from './encode-admin-views.ts';
import { logAdminAction } from './log-admin-action.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';
import { requireAdminAccount } from './require-admin-account.ts';

const createSchema = z.strictObject({ name: nameSchema, actor: actorSchema.optional() });
const actorOnlySchema = z.strictObject({ actor: actorSchema.optional() }).optional();

/**
 * Accounts: list with balances, open (signup bonus once), show, disable and enable (keys and
 * console users together).
 */
export function registerAdminAccountRoutes(admin: FastifyInstance, context: AdminRouteContext) {
  const { store, currency } = context;
  const view = async (id: string) => {
    const account = await requireAdminAccount(store, id);
    return encodeAccount(account, await store.getBalance(account.id), currency);
  };

  admin.get('/accounts', async () => {
    const accounts = await store.listAccounts();
    const data = [];
    for (const account of accounts) {
      data.push(encodeAccount(account, await store.getBalance(account.id), currency));
    }
    return { data };
  });

  admin.post('/accounts', async (request, reply) => {
    const body = parseAdminInput(createSchema, request.body, 'body');
    // An existing account is answered as is: its bonus was credited when it was opened.
    const existing = await store.getAccountByName(body.name);
    const existed = existing !== undefined;
    const account =
      existing ??
      (await openAccount({
        store,
        name: body.name,
        signupBonusMicros: parseScaledDecimal(context.config.billing.signupBonus),
      }));
    logAdminAction(request, {
      action: existed ? 'account.open-existing' : 'account.create',
      actor: body.actor ?? 'admin-api',
      target: account.id,
    });
    void reply.code(existed ? 200 : 201);
    return { created: !existed, account: await view(account.id) };
  });

  admin.get('/accounts/:id', async (request) => view(readIdParam(request.params)));

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/accounts/:id/${action}`, async (request) => {
      const id = readIdParam(request.params);
      const body = parseAdminInput(actorOnlySchema, request.body, 'body') ?? {};
      await requireAdminAccount(store, id);
      await setAccountDisabled({ store, accountId: id, disabled: action === 'disable' });
      context.keysChanged();
      logAdminAction(request, {
        action: `account.${action}`,
        actor: body.actor ?? 'admin-api',
        target: id,
      });
      return view(id);
    });
  }
}
