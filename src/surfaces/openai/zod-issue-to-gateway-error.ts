import type * as z from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { formatParamPath } from './format-param-path.ts';

type ZodIssue = z.core.$ZodIssue;

/** The message integer schemas give a type mismatch, so it reads "an integer", not "a number". */
export const INTEGER_EXPECTED = 'expected an integer';

/**
 * Turns the first validation issue of a request body into a 400 that names the field the way
 * OpenAI does (`messages[2].content`) and says what was wrong in plain words. The schema must be
 * parsed with `reportInput: true` so the message can say what the client sent.
 */
export function zodIssueToGatewayError(issue: ZodIssue): GatewayError {
  const resolved = resolveUnion(issue, []);
  return new GatewayError('GW_ERR_INVALID_REQUEST', resolved.message, { param: resolved.param });
}

interface ResolvedIssue {
  param: string;
  message: string;
}

function resolveUnion(issue: ZodIssue, basePath: readonly PropertyKey[]): ResolvedIssue {
  const path = [...basePath, ...issue.path];
  if (issue.code !== 'invalid_union') return describeIssue(issue, path);
  if (issue.discriminator !== undefined) return describeDiscriminator(issue, path);
  const branches = issue.errors
    .map((branch) => branch[0])
    .filter((first): first is ZodIssue => first !== undefined);
  const best = pickBranch(branches);
  if (best !== undefined) return resolveUnion(best, path);
  const expected = branches.map(describeBranchExpectation);
  const param = formatParamPath(path);
  if (issue.input === undefined) return { param, message: `\`${param}\` is required` };
  return {
    param,
    message: `\`${param}\` must be ${expected.join(' or ')}, got ${typeName(issue.input)}`,
  };
}

/**
 * The union branch that got furthest into the value explains the mistake best: a content array
 * with a bad part should report the part, not "expected string". Among branches that failed at the
 * same depth, one whose type matched (a wrong enum value) beats a plain type mismatch. Undefined when
 * every branch only disagreed about the value's type.
 */
function pickBranch(branches: ZodIssue[]): ZodIssue | undefined {
  let best: ZodIssue | undefined;
  for (const candidate of branches) {
    if (best === undefined || depth(candidate) > depth(best)) best = candidate;
    else if (
      depth(candidate) === depth(best) &&
      isTypeMismatch(best) &&
      !isTypeMismatch(candidate)
    ) {
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  return depth(best) === 0 && isTypeMismatch(best) ? undefined : best;
}

function depth(issue: ZodIssue): number {
  return issue.path.length;
}

/**
 * True when the branch rejected the value's type: an `invalid_type`, or an enum miss whose input
 * is not even of the enum's type (`tool_choice: 5`).
 */
function isTypeMismatch(issue: ZodIssue): boolean {
  if (issue.code === 'invalid_type') return true;
  if (issue.code !== 'invalid_value') return false;
  const inputType = typeName(issue.input);
  return issue.values.every((value) => typeName(value) !== inputType);
}

function describeBranchExpectation(issue: ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return describeExpected(issue.message === INTEGER_EXPECTED ? 'int' : issue.expected);
  }
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(quote).join(', ')}`;
  return issue.message;
}

function describeDiscriminator(
  issue: Extract<ZodIssue, { code: 'invalid_union' }>,
  path: readonly PropertyKey[],
): ResolvedIssue {
  const param = formatParamPath(path);
  const discriminator = issue.discriminator ?? '';
  const input: unknown = issue.input;
  const value =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? Object.entries(input).find(([key]) => key === discriminator)?.[1]
      : undefined;
  if (value === undefined) return { param, message: `\`${param}\` is required` };
  const options = 'options' in issue && issue.options !== undefined ? issue.options : [];
  return {
    param,
    message: `\`${param}\` must be one of ${options.map(quote).join(', ')}, got ${describeValue(value)}`,
  };
}

function describeIssue(issue: ZodIssue, path: readonly PropertyKey[]): ResolvedIssue {
  const param = formatParamPath(path);
  const field = `\`${param}\``;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return { param, message: `${field} is required` };
      const expected = issue.message === INTEGER_EXPECTED ? 'int' : issue.expected;
      // 1.5 for an integer: the type name alone ("got number") would not say what is wrong.
      const got =
        expected === 'int' && typeof issue.input === 'number'
          ? String(issue.input)
          : typeName(issue.input);
      return { param, message: `${field} must be ${describeExpected(expected)}, got ${got}` };
    }
    case 'too_small':
      return { param, message: `${field} ${describeMinimum(issue)}` };
    case 'too_big':
      return { param, message: `${field} ${describeMaximum(issue)}` };
    case 'invalid_value': {
      const allowed = issue.values.map(quote);
      const expectation =
        allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(', ')}`;
      return { param, message: `${field} ${expectation}, got ${describeValue(issue.input)}` };
    }
    case 'invalid_format': {
      const rule = issue.pattern === undefined ? issue.format : `the pattern ${issue.pattern}`;
      return {
        param,
        message: `${field} must match ${rule}, got ${describeValue(issue.input)}`,
      };
    }
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const keyParam = formatParamPath([...path, key]);
      return {
        param: keyParam,
        message: `Unrecognized field \`${keyParam}\`: remove it and try again`,
      };
    }
    default:
      return { param, message: `${field}: ${issue.message}` };
  }
}

function describeMinimum(issue: Extract<ZodIssue, { code: 'too_small' }>): string {
  const minimum = Number(issue.minimum);
  if (issue.origin === 'array') {
    return minimum === 1 ? 'must not be empty' : `must have at least ${minimum} items`;
  }
  if (issue.origin === 'string') {
    return minimum === 1 ? 'must not be empty' : `must be at least ${minimum} characters long`;
  }
  const bound = issue.inclusive === false ? `greater than ${minimum}` : `at least ${minimum}`;
  return `must be ${bound}, got ${describeValue(issue.input)}`;
}

function describeMaximum(issue: Extract<ZodIssue, { code: 'too_big' }>): string {
  const maximum = Number(issue.maximum);
  const input: unknown = issue.input;
  if (issue.origin === 'array') {
    const count = Array.isArray(input) ? `, got ${input.length}` : '';
    return `must have at most ${maximum} items${count}`;
  }
  if (issue.origin === 'string') return `must be at most ${maximum} characters long`;
  const bound = issue.inclusive === false ? `less than ${maximum}` : `at most ${maximum}`;
  return `must be ${bound}, got ${describeValue(input)}`;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  null: 'null',
};

function describeExpected(expected: string): string {
  return EXPECTED_NAMES[expected] ?? expected;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Short enough for an error message: a client may send a megabyte where a word belongs. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return typeName(value);
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
