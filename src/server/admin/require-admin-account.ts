import { GatewayError } from '../../errors/gateway-error.ts';
import type { Account, Store } from '../../storage/store.ts';

/** The account with this id, or a 404 that says so. */
export async function requireAdminAccount(
  store: Pick<Store, 'getAccountById'>,
  id: string,
): Promise<Account> {
  const account = await store.getAccountById(id);
  if (account === undefined) {
    throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No account with id ${id}.`, { param: 'id' });
  }
  return account;
}
