import * as z from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';

const WHERE = { body: 'request body', query: 'query string', path: 'path' } as const;

/**
 * Validates a body or query string; on failure a 400 `invalid_request` lists every problem with
 * its field, and `param` names the first.
 */
export function parseAdminInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  where: 'body' | 'query' | 'path',
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const first = result.error.issues[0]?.path.map(String).join('.');
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    `Invalid ${WHERE[where]}: ${problems.join('; ')}.`,
    first === undefined || first === '' ? {} : { param: first },
  );
}

const idParamsSchema = z.object({ id: z.string().min(1).max(200) });

/** The `:id` of the route's path. */
export function readIdParam(params: unknown): string {
  return parseAdminInput(idParamsSchema, params, 'path').id;
}
