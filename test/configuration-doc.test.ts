import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import { configSchema } from '../src/config/config-schema.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { isRecord } from '../src/util/safe-parse-json.ts';

const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');

/** The YAML examples of docs/configuration.md, in order. */
function yamlExamples(): string[] {
  return [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

/** Every `${NAME}` the text names, set to a value long enough for any rule (pepper, admin token). */
function environmentFor(text: string): Record<string, string> {
  const names = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]);
  return Object.fromEntries(names.map((name) => [name, `value-of-${name}-0123456789abcdefghij`]));
}

/**
 * Every key path the schema accepts: `a.b` for objects, `a[].b` for array elements, `a.*.b` for the
 * values of a record (the operator's own names, such as provider names).
 */
function schemaKeyPaths(schema: z.core.$ZodType, path: string): string[] {
  const def = schema._zod.def;
  switch (def.type) {
    case 'object': {
      const { shape } = def as z.core.$ZodObjectDef;
      return Object.entries(shape).flatMap(([key, value]) => {
        const keyPath = path === '' ? key : `${path}.${key}`;
        return [keyPath, ...schemaKeyPaths(value, keyPath)];
      });
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return schemaKeyPaths((def as z.core.$ZodOptionalDef).innerType, path);
    case 'array':
      return schemaKeyPaths((def as z.core.$ZodArrayDef).element, `${path}[]`);
    case 'record':
      return schemaKeyPaths((def as z.core.$ZodRecordDef).valueType, `${path}.*`);
    default:
      return [];
  }
}

/** Whether `value` has something at `path` (in `schemaKeyPaths`'s notation) in any element or entry. */
function hasPath(value: unknown, segments: string[]): boolean {
  const [segment, ...rest] = segments;
  if (segment === undefined) return value !== undefined;
  if (segment.endsWith('[]')) {
    const list =
      segment === '[]' ? value : isRecord(value) ? value[segment.slice(0, -2)] : undefined;
    return Array.isArray(list) && list.some((item) => hasPath(item, rest));
  }
  if (!isRecord(value)) return false;
  if (segment === '*') return Object.values(value).some((item) => hasPath(item, rest));
  return hasPath(value[segment], rest);
}

test('every YAML example in docs/configuration.md loads without error', () => {
  const examples = yamlExamples();
  assert.ok(examples.length > 0, 'the document has YAML examples');
  const folder = mkdtempSync(join(tmpdir(), 'shepherd-config-doc-'));
  examples.forEach((example, index) => {
    const path = join(folder, `example-${index}.yaml`);
    writeFileSync(path, example);
    assert.doesNotThrow(
      () => loadConfig({ path, env: environmentFor(example) }),
      `example ${index + 1} of docs/configuration.md`,
    );
  });
});

test('the full example of docs/configuration.md shows every option the schema accepts', () => {
  const [full] = yamlExamples();
  const raw: unknown = parseYaml(full ?? '');
  const missing = schemaKeyPaths(configSchema, '').filter(
    (path) =>
      !hasPath(
        raw,
        path.split('.').flatMap((part) => part.split(/(?=\[\])/)),
      ),
  );
  assert.deepEqual(missing, [], 'options the schema accepts that the example leaves out');
});
