import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/**
 * One statement a program asks its runner to execute. `receive` is declared with method syntax so
 * a step built for rows of type R fits here: the rows are typed by the Kysely query that produced
 * the statement, exactly as `query.execute()` would type them.
 */
export interface SqlStep {
  readonly query: CompiledQuery;
  receive(result: QueryResult<unknown>): void;
}

/**
 * A database transaction's logic as a generator of SQL steps. The same program runs synchronously
 * on better-sqlite3 (so nothing else in the process can interleave with a SQLite transaction) and
 * asynchronously on a PostgreSQL client.
 */
export type SqlProgram<T> = Generator<SqlStep, T, undefined>;

/** Executes one statement inside the running program and returns its result. */
export function* execute<R>(query: Compilable<R> | CompiledQuery<R>): SqlProgram<QueryResult<R>> {
  const compiled = 'compile' in query ? query.compile() : query;
  let result: QueryResult<R> | undefined;
  yield {
    query: compiled,
    receive(received: QueryResult<R>) {
      result = received;
    },
  };
  if (result === undefined) throw new Error('The runner did not execute the statement.');
  return result;
}

/** The rows a statement returned (a SELECT, or a write with RETURNING). */
export function* selectRows<R>(query: Compilable<R> | CompiledQuery<R>): SqlProgram<R[]> {
  return (yield* execute(query)).rows;
}

/** How many rows an INSERT, UPDATE or DELETE without RETURNING touched. */
export function* countAffected(query: Compilable | CompiledQuery): SqlProgram<bigint> {
  return (yield* execute(query)).numAffectedRows ?? 0n;
}

/** Runs a program to completion with a synchronous executor; a failed statement is thrown into it. */
export function runProgramSync<T>(
  program: SqlProgram<T>,
  executeQuery: (query: CompiledQuery) => QueryResult<unknown>,
): T {
  let next = program.next();
  while (next.done !== true) {
    const step = next.value;
    let result: QueryResult<unknown>;
    try {
      result = executeQuery(step.query);
    } catch (error) {
      next = program.throw(error);
      continue;
    }
    step.receive(result);
    next = program.next();
  }
  return next.value;
}

/** The asynchronous twin of `runProgramSync`. */
export async function runProgram<T>(
  program: SqlProgram<T>,
  executeQuery: (query: CompiledQuery) => Promise<QueryResult<unknown>>,
): Promise<T> {
  let next = program.next();
  while (next.done !== true) {
    const step = next.value;
    let result: QueryResult<unknown>;
    try {
      result = await executeQuery(step.query);
    } catch (error) {
      next = program.throw(error);
      continue;
    }
    step.receive(result);
    next = program.next();
  }
  return next.value;
}
