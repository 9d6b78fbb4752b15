import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import { generateId } from './generate-id.ts';
import { mapAccountRow, toTimestamp } from './map-rows.ts';
import type { Account, Store } from './store.ts';
import { toConstraintError } from './to-constraint-error.ts';

type AccountQueries = Pick<
  Store,
  | 'createAccount'
  | 'getAccountById'
  | 'getAccountByName'
  | 'listAccounts'
  | 'ensureAccount'
  | 'setAccountDisabled'
>;

export function createAccountQueries(db: Kysely<Database>, now: () => Date): AccountQueries {
  async function getAccountByName(name: string): Promise<Account | undefined> {
    const row = await db
      .selectFrom('accounts')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : mapAccountRow(row);
  }

  return {
    async createAccount({ name }) {
      const row = {
        id: generateId('acct'),
        name,
        created_at: toTimestamp(now()),
        disabled_at: null,
      };
      try {
        await db.insertInto('accounts').values(row).execute();
      } catch (error) {
        throw toConstraintError(error, 'An account with this name');
      }
      return mapAccountRow(row);
    },

    async getAccountById(id) {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : mapAccountRow(row);
    },

    getAccountByName,

    async listAccounts() {
      const rows = await db
        .selectFrom('accounts')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(mapAccountRow);
    },

    // Insert-or-ignore then read: the unique index arbitrates concurrent callers on both engines.
    async ensureAccount(name) {
      await db
        .insertInto('accounts')
        .values({ id: generateId('acct'), name, created_at: toTimestamp(now()), disabled_at: null })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
      const account = await getAccountByName(name);
      if (account === undefined) throw new Error('The account vanished while being ensured.');
      return account;
    },

    async setAccountDisabled(id, disabled) {
      const result = await db
        .updateTable('accounts')
        .set((expression) => ({
          disabled_at: disabled
            ? expression.fn.coalesce('disabled_at', expression.val(toTimestamp(now())))
            : null,
        }))
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
