import type BetterSqlite3 from 'better-sqlite3';

type Statement<Parameters extends unknown[], Row = unknown> = BetterSqlite3.Statement<
  Parameters,
  Row
>;

/**
 * The hot path's statements (reserve and settle), written by hand for SQLite and prepared once per
 * connection: building and compiling them with Kysely on every call cost more than running them.
 * They mirror `ledger-reserve.ts` and `ledger-settle.ts`, except where one SQLite statement does
 * the work of two (noted below) and where a statement returns only what its caller reads. The rows
 * are typed by the SQL text, as Kysely's would be by its query.
 *
 * None uses RETURNING: SQLite gathers a RETURNING clause's rows in a temporary b-tree, opened,
 * filled and closed on every run, which cost more than a second statement reading the row by its
 * key. The write lock is held from the batch's BEGIN IMMEDIATE to its COMMIT, so nothing changes
 * the row between the two (`prepare-ledger-statements.test.ts` checks that no statement builds
 * such a b-tree).
 */
export function prepareLedgerStatements(connection: BetterSqlite3.Database) {
  const prepare = <Parameters extends unknown[], Row = unknown>(
    text: string,
  ): Statement<Parameters, Row> => connection.prepare<Parameters, Row>(text);
  // A statement that returns no row: `run()` then reports its rowid as a number, not a BigInt.
  const write = <Parameters extends unknown[]>(text: string): Statement<Parameters> =>
    connection.prepare<Parameters, unknown>(text).safeIntegers(false);
  return {
    /** See `ensureBalanceRow`. */
    ensureBalanceRow: prepare<[accountId: string]>(
      `insert into ledger_balances (account_id, posted_micros, held_micros)
       select id, 0, 0 from accounts where id = ?
       on conflict (account_id) do nothing`,
    ),
    /** Posted, then held: rows as arrays cost less to build than objects (see `readBalance`). */
    readBalance: prepare<[accountId: string], [posted: bigint, held: bigint]>(
      'select posted_micros, held_micros from ledger_balances where account_id = ?',
    ).raw(),
    /** Whether the request has a hold, or was settled already: request id, its usage key. */
    isKnownRequest: prepare<[requestId: string, usageIdempotencyKey: string], bigint>(
      `select exists (select 1 from ledger_holds where request_id = ?)
         or exists (select 1 from ledger_transactions where idem_key = ?)`,
    ).pluck(),
    /**
     * The hold row, once `holdCredit` has admitted the request. Parameters: request id, account id,
     * key id, amount, created at, expires at, owner.
     */
    insertHold: write<[string, string, string, bigint, string, string, string | null]>(
      `insert into ledger_holds
         (request_id, account_id, key_id, amount_micros, state, created_at, expires_at,
          resolved_at, owner)
       values (?, ?, ?, ?, 'open', ?, ?, null, ?)`,
    ),
    /** See `keySpend` in `ledger-reserve.ts`: key id, period start, key id, request id. */
    keySpend: prepare<[string, string, string, string], bigint>(
      `select cast(
         coalesce((select sum(cost_micros) from usage_records
           where key_id = ? and created_at >= ?), 0)
         + coalesce((select sum(amount_micros) from ledger_holds
           where key_id = ? and state = 'open' and request_id <> ?), 0)
       as bigint) as spent`,
    ).pluck(),
    /**
     * I3's conditional hold for a request that has no hold yet and was not settled: the duplicate
     * check and the balance check in one statement, so a refusal changes nothing. A hold of 0 (a
     * free model) fits any balance, an overdrawn one too: it can cost nothing. Parameters: amount,
     * account id, amount, amount, request id, the request's usage idempotency key.
     */
    holdCredit: write<[bigint, string, bigint, bigint, string, string]>(
      `update ledger_balances set held_micros = held_micros + ?
       where account_id = ? and (? = 0 or posted_micros - held_micros >= ?)
         and not exists (select 1 from ledger_holds where request_id = ?)
         and not exists (select 1 from ledger_transactions where idem_key = ?)`,
    ),
    /** Parameters: id, account id, idempotency key, payload hash, request id, created at. */
    insertUsageTransaction: prepare<[string, string, string, string, string, string]>(
      `insert into ledger_transactions
         (id, kind, account_id, idem_key, payload_hash, request_id, actor, reason, created_at)
       values (?, 'usage', ?, ?, ?, ?, null, null, ?)
       on conflict (idem_key) do nothing`,
    ),
    /** The account and amount of the request's open hold, which `settleHold` then resolves. */
    readOpenHold: prepare<[requestId: string], [accountId: string, amount: bigint]>(
      `select account_id, amount_micros from ledger_holds
       where request_id = ? and state = 'open'`,
    ).raw(),
    /** I6: resolves the hold only while it is open. Parameters: resolved at, request id. */
    settleHold: write<[resolvedAt: string, requestId: string]>(
      `update ledger_holds set state = 'settled', resolved_at = ?
       where request_id = ? and state = 'open'`,
    ),
    /** One entry of a transfer: transaction id, account id, amount, created at. */
    insertEntry: write<[string, string, bigint, string]>(
      `insert into ledger_entries (txn_id, account_id, amount_micros, created_at)
       values (?, ?, ?, ?)`,
    ),
    /** `moveBalance` of `ledger-balance-steps.ts`: posted delta, held delta, account id. */
    moveBalance: write<[posted: bigint, held: bigint, accountId: string]>(
      `update ledger_balances
       set posted_micros = posted_micros + ?, held_micros = held_micros + ?
       where account_id = ?`,
    ),
    /** `moveBalance` of posted only: usage revenue's side of a settle. */
    creditAccount: write<[posted: bigint, accountId: string]>(
      'update ledger_balances set posted_micros = posted_micros + ? where account_id = ?',
    ),
    insertUsageRecord: write<unknown[]>(
      `insert into usage_records
         (request_id, account_id, key_id, requested_model, served_model, provider, upstream_model,
          status, error_code, input_tokens, cached_input_tokens, cache_write_tokens,
          cache_write_1h_tokens, output_tokens, reasoning_tokens, cost_micros, currency,
          exchange_rate, estimated, time_to_first_token_ms, time_to_first_reasoning_ms,
          time_to_first_content_ms, upstream_time_to_first_byte_ms, total_ms, tokens_per_second,
          chunks, gateway_overhead_ms, attempts, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

export type LedgerStatements = ReturnType<typeof prepareLedgerStatements>;
