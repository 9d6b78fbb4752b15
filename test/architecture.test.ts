import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(new URL('..', import.meta.url).pathname);
const sourceRoot = join(root, 'src');

interface SourceFile {
  /** Path relative to src/, e.g. `providers/anthropic/map-anthropic-stream.ts`. */
  path: string;
  text: string;
  /** Imported files relative to src/ (only relative imports). */
  imports: string[];
}

function listSources(directory: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...listSources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const text = readFileSync(full, 'utf8');
      const imports = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) =>
        relative(sourceRoot, resolve(dirname(full), match[1] ?? '')),
      );
      files.push({ path: relative(sourceRoot, full), text, imports });
    }
  }
  return files;
}

const sources = listSources(sourceRoot);
const top = (path: string) => path.split('/')[0] ?? '';

/** The file without its comment lines (JSDoc and line comments). */
function codeOf(file: SourceFile): string {
  return file.text
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .join('\n');
}

test('canonical/ imports nothing else from src/', () => {
  for (const file of sources.filter((source) => top(source.path) === 'canonical')) {
    for (const imported of file.imports) {
      assert.equal(top(imported), 'canonical', `${file.path} imports ${imported}`);
    }
  }
});

test('provider folders never import one another, nor anything above the adapter contract', () => {
  const allowed = new Set(['canonical', 'sse', 'errors', 'util']);
  for (const file of sources.filter((source) => /^providers\/[^/]+\//.test(source.path))) {
    const folder = file.path.split('/')[1];
    for (const imported of file.imports) {
      const [first, second] = imported.split('/');
      if (first === 'providers') {
        const sameFolder = second === folder;
        const sharedFile = imported.split('/').length === 2;
        assert.ok(sameFolder || sharedFile, `${file.path} imports ${imported}`);
      } else assert.ok(allowed.has(first ?? ''), `${file.path} imports ${imported}`);
    }
  }
});

test('a provider name appears only in its own folder, the registry, config and simulator', () => {
  const names = /\b(anthropic|gemini|deepseek)\b/i;
  const exempt = (path: string) =>
    /^providers\/(anthropic|gemini|openai-compatible)\//.test(path) ||
    path === 'providers/provider-registry.ts' ||
    path === 'providers/provider-adapter.ts' ||
    top(path) === 'config' ||
    top(path) === 'simulator' ||
    top(path) === 'cli';
  for (const file of sources.filter((source) => !exempt(source.path))) {
    assert.doesNotMatch(codeOf(file), names, `${file.path} names a provider`);
  }
});

test('only upstream/ makes outbound HTTP calls', () => {
  for (const file of sources) {
    // stream-bench is `shepherd bench`, a client measuring endpoints: not the gateway's request path.
    const exempt = ['upstream', 'simulator', 'stream-bench'];
    if (exempt.includes(top(file.path))) continue;
    assert.doesNotMatch(file.text, /from 'undici[/']|\bfetch\(/, `${file.path} does network I/O`);
  }
});

test('the server bundle carries only the parts of undici and zod it uses', () => {
  for (const file of sources) {
    // undici's index loads fetch, WebSocket, the cache and the mock agents (upstream/undici-core.ts).
    if (file.path !== 'upstream/undici-core.ts') {
      assert.doesNotMatch(file.text, /^import (?!type )[^;]*from 'undici[/']/m, file.path);
    }
    // `import { z }` keeps every zod export, locales included; a namespace import lets the bundler
    // drop what is never called.
    assert.doesNotMatch(file.text, /import (type )?\{ z \} from 'zod'/, file.path);
  }
});

test('no any, no ts-ignore, and JSON.parse only in safeParseJson', () => {
  for (const file of sources) {
    assert.doesNotMatch(
      codeOf(file),
      /: any\b|as any\b|<any>|@ts-ignore|@ts-expect-error/,
      file.path,
    );
    if (file.path !== 'util/safe-parse-json.ts') {
      assert.doesNotMatch(codeOf(file), /JSON\.parse\(/, `${file.path} calls JSON.parse`);
    }
  }
});

/**
 * Object literals `{ ...a, b }` / `{ ...a, ...b }` in `code`: a spread first, then more members.
 * The spread's expression is skipped by bracket depth, so `{ ...(x ? {} : { y }), z }` counts too.
 */
function leadingSpreadLiterals(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/\{\s*\.\.\./g)) {
    let depth = 0;
    for (let index = match.index + match[0].length; index < code.length; index += 1) {
      const character = code[index];
      if (character === '(' || character === '[' || character === '{') depth += 1;
      else if (character === ')' || character === ']' || character === '}') {
        if (depth === 0) break;
        depth -= 1;
      } else if (character === ',' && depth === 0) {
        const rest = code.slice(index + 1).trimStart();
        if (!rest.startsWith('}')) found.push(code.slice(match.index, index + 1));
        break;
      }
    }
  }
  return found;
}

test('the request path builds no object literal that starts with a spread and goes on (docs/decisions/0007)', () => {
  const requestPath = new Set([
    'accounting',
    'canonical',
    'metrics',
    'pipeline',
    'providers',
    'routing',
    'sse',
    'surfaces',
    'upstream',
    'util',
  ]);
  const onRequestPath = (path: string) =>
    requestPath.has(top(path)) ||
    (top(path) === 'server' && !/^server\/(console|admin)\//.test(path)) ||
    (top(path) === 'storage' && !/contract|test-kit/.test(path));
  const offenders = sources
    .filter((file) => onRequestPath(file.path))
    .flatMap((file) =>
      leadingSpreadLiterals(codeOf(file)).map((found) => `${file.path}: ${found}`),
    );
  assert.deepEqual(offenders, []);
  // The scan itself finds what it is meant to find.
  assert.deepEqual(
    leadingSpreadLiterals('f({ ...a, b }); g({ ...(c ? {} : { d }), e }); h({ ...a })'),
    ['{ ...a,', '{ ...(c ? {} : { d }),'],
  );
});
