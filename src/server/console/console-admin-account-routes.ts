import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { creditAccount } from '../../accounting/credit-account.ts';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import { setAccountDisabled } from '../../accounting/set-account-disabled.ts';
import type { Account } from '../../storage/store.ts';
import { reasonSchema, referenceSchema, signedAmountSchema } from '../admin/admin-schemas.ts';
import { encodeAccount, encodeBalance } from '../admin/encode-admin-views.ts';
import { parseAdminInput, readIdParam } from '../admin/parse-admin-input.ts';
import { requireAdminAccount } from '../admin/require-admin-account.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';

const searchSchema = z.strictObject({
  /** Part of the account name or of a console user's email, any case; absent: every account. */
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const adjustmentSchema = z.strictObject({
  amount: signedAmountSchema,
  reason: reasonSchema,
  /** Makes the adjustment idempotent (a retried click posts once). */
  reference: referenceSchema.optional(),
});

/**
 * Console admins: search accounts (name or user email), adjust credits with a reason (the ledger
 * records the admin's email as the actor), disable and enable an account with its console users.
 */
export function registerConsoleAdminAccountRoutes(
  admin: FastifyInstance,
  context: ConsoleRouteContext,
) {
  const { store, currency } = context;

  const view = async (account: Account) => ({
    ...encodeAccount(account, await store.getBalance(account.id), currency),
    users: (await store.listConsoleUsers({ accountId: account.id })).map((user) => ({
      id: user.id,
      email: user.email,
      role: user.role,
      disabled: user.disabled,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    })),
  });

  // In memory over every account: fine for the thousands a self-hosted gateway has.
  admin.get('/accounts', async (request) => {
    const query = parseAdminInput(searchSchema, request.query, 'query');
    const needle = query.q?.toLowerCase() ?? '';
    const emails = new Map<string, string[]>();
    for (const user of await store.listConsoleUsers()) {
      emails.set(user.accountId, [...(emails.get(user.accountId) ?? []), user.email]);
    }
    const matches = (await store.listAccounts()).filter(
      (account) =>
        needle === '' ||
        account.name.toLowerCase().includes(needle) ||
        (emails.get(account.id) ?? []).some((email) => email.includes(needle)),
    );
    const data = [];
    for (const account of matches.slice(0, query.limit)) data.push(await view(account));
    return { data, total: matches.length };
  });

  admin.post('/accounts/:id/adjustments', async (request, reply) => {
    const { user } = readConsoleAuth(request);
    const account = await requireAdminAccount(store, readIdParam(request.params));
    const body = parseAdminInput(adjustmentSchema, request.body, 'body');
    const result = await creditAccount({
      store,
      kind: 'adjustment',
      accountId: account.id,
      amountMicros: body.amount,
      actor: `console:${user.email}`,
      reason: body.reason,
      ...(body.reference === undefined ? {} : { reference: body.reference }),
    });
    request.log.info(
      { console: { action: 'account.adjust', actor: user.email, target: account.id } },
      'console admin action',
    );
    void reply.code(result.status === 'duplicate' ? 200 : 201);
    return {
      transactionId: result.transactionId,
      duplicate: result.status === 'duplicate',
      accountId: account.id,
      amount: microsToDecimalText(body.amount),
      amountMicros: body.amount.toString(),
      balance: encodeBalance(result.balance, currency),
    };
  });

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/accounts/:id/${action}`, async (request) => {
      const { user } = readConsoleAuth(request);
      const account = await requireAdminAccount(store, readIdParam(request.params));
      await setAccountDisabled({ store, accountId: account.id, disabled: action === 'disable' });
      context.keysChanged();
      request.log.info(
        { console: { action: `account.${action}`, actor: user.email, target: account.id } },
        'console admin action',
      );
      const changed = await requireAdminAccount(store, account.id);
      return view(changed);
    });
  }
}
