import type { CustomTypesConfig } from 'pg';
import { pg } from './load-pg.ts';

/**
 * The one place PostgreSQL `bigint` (int8) text becomes a JS value: always `bigint`, never
 * `number`, because money is stored as BIGINT micro-units and must not lose precision past 2^53.
 * `count(*)` is int8 too, so it reads back as `bigint`. `numeric` (what `sum(bigint)` returns)
 * stays pg's default string; cast such sums to `bigint` in SQL. int8 arrays are not used.
 */
export function parseInt8(text: string): bigint {
  return BigInt(text);
}

/** Per-pool type parsers, so the gateway never mutates pg's process-wide defaults. */
export const postgresTypes: CustomTypesConfig = {
  getTypeParser: (oid, format) => {
    if (oid === pg.types.builtins.INT8 && (format ?? 'text') === 'text') return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};
