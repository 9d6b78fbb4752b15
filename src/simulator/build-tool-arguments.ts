import { isRecord } from '../util/safe-parse-json.ts';

/** Deep enough for real tool schemas; stops a self-referencing schema from recursing forever. */
const MAX_DEPTH = 8;

function schemaType(schema: Record<string, unknown>): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type.toLowerCase();
  if (Array.isArray(type)) {
    const first = type.find((entry) => typeof entry === 'string' && entry.toLowerCase() !== 'null');
    return typeof first === 'string' ? first.toLowerCase() : undefined;
  }
  if (isRecord(schema.properties)) return 'object';
  return undefined;
}

function valueFor(schema: unknown, name: string, depth: number): unknown {
  if (!isRecord(schema)) return `simulated-${name}`;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return valueFor(alternatives[0], name, depth + 1);
  }
  switch (schemaType(schema)) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(1, Math.ceil(schema.minimum)) : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return minItems > 0 ? [valueFor(schema.items, name, depth + 1)] : [];
    }
    case 'object':
      return depth >= MAX_DEPTH ? {} : buildObject(schema, depth + 1);
    default:
      return `simulated-${name}`;
  }
}

function buildObject(schema: Record<string, unknown>, depth: number): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const result: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name === 'string') result[name] = valueFor(properties[name], name, depth);
  }
  return result;
}

/**
 * Deterministic arguments for a tool call: every required property of the schema gets a value of
 * its type (first enum value, `1`, `true`, `"simulated-<name>"`, nested objects filled the same way).
 * Accepts JSON Schema and Gemini's upper-case OpenAPI subset alike.
 */
export function buildToolArguments(schema: unknown): Record<string, unknown> {
  return isRecord(schema) ? buildObject(schema, 0) : {};
}
