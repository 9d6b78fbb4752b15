import { type Kysely, sql } from 'kysely';

/** A SQLite table recreated with a new definition, its rows copied over. */
export interface RebuiltTable {
  name: string;
  /** The new CREATE TABLE body (columns and constraints). */
  definition: string;
  /** `without rowid` for a table keyed by its primary key's b-tree alone. */
  options: string;
  columns: string[];
  /** Indexes and triggers made after the copy (keys and unique columns come with the table). */
  indexes: string[];
}

/**
 * SQLite's way to change a table beyond what ALTER TABLE can: create the new table, copy the rows,
 * drop the old one, rename the new one into its place
 * (https://www.sqlite.org/lang_altertable.html#otheralter). Foreign keys must be off meanwhile
 * (dropping a referenced table would otherwise check, or cascade into, its children), and that
 * pragma is a no-op inside a transaction: `runMigrations` turns them off around its run, whose one
 * transaction holds this rebuild with every other pending migration and their records, so a
 * failure or a kill leaves none of it half done. `foreign_key_check` must find nothing before the
 * migration may succeed.
 */
export async function rebuildSqliteTables(
  db: Kysely<unknown>,
  tables: readonly RebuiltTable[],
  migration: string,
): Promise<void> {
  for (const table of tables) await rebuildTable(db, table);
  const broken = await sql`pragma foreign_key_check`.execute(db);
  if (broken.rows.length > 0) {
    throw new Error(`Migration ${migration} found ${broken.rows.length} broken foreign keys.`);
  }
}

async function rebuildTable(db: Kysely<unknown>, table: RebuiltTable): Promise<void> {
  const columns = table.columns.join(', ');
  const staging = `${table.name}_rebuilt`;
  await sql.raw(`create table ${staging} (${table.definition}) ${table.options}`).execute(db);
  await sql
    .raw(`insert into ${staging} (${columns}) select ${columns} from ${table.name}`)
    .execute(db);
  await sql.raw(`drop table ${table.name}`).execute(db);
  await sql.raw(`alter table ${staging} rename to ${table.name}`).execute(db);
  for (const statement of table.indexes) await sql.raw(statement).execute(db);
}
