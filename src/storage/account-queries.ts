import { generateId } from './generate-id.ts';
import { ensureBalanceRow } from './ledger-balance-steps.ts';
import { mapAccountRow, toTimestamp } from './map-rows.ts';
import { execute, selectRows } from './sql-program.ts';
import type { Account, Store } from './store.ts';
import type { StoreContext } from './store-context.ts';
import { toConstraintError } from './to-constraint-error.ts';
import { commit } from './transaction-runner.ts';

type AccountQueries = Pick<
  Store,
  | 'createAccount'
  | 'getAccountById'
  | 'getAccountByName'
  | 'listAccounts'
  | 'ensureAccount'
  | 'setAccountDisabled'
>;

export function createAccountQueries(context: StoreContext): AccountQueries {
  const { db, now, runner } = context;
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
        await runner.write(function* () {
          yield* execute(db.insertInto('accounts').values(row));
          yield* ensureBalanceRow(db, row.id);
          return commit(undefined);
        });
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
      await runner.write(function* () {
        const inserted = yield* selectRows(
          db
            .insertInto('accounts')
            .values({
              id: generateId('acct'),
              name,
              created_at: toTimestamp(now()),
              disabled_at: null,
            })
            .onConflict((conflict) => conflict.column('name').doNothing())
            .returning('id'),
        );
        const created = inserted[0];
        if (created !== undefined) yield* ensureBalanceRow(db, created.id);
        return commit(undefined);
      });
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
