import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { findPackageRoot } from './find-package-root.ts';

test('the nearest folder with a package.json, from a source file and from a bundle alike', () => {
  const root = mkdtempSync(join(tmpdir(), 'shepherd-root-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'src', 'server', 'console'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  const source = pathToFileURL(join(root, 'src', 'server', 'console', 'serve.ts')).href;
  const bundle = pathToFileURL(join(root, 'dist', 'shepherd.mjs')).href;
  assert.equal(findPackageRoot(source), root);
  assert.equal(findPackageRoot(bundle), root);
  // A nested package (web/ has its own in some layouts) is the answer for files inside it.
  mkdirSync(join(root, 'web', 'src'), { recursive: true });
  writeFileSync(join(root, 'web', 'package.json'), '{}');
  assert.equal(
    findPackageRoot(pathToFileURL(join(root, 'web', 'src', 'x.ts')).href),
    join(root, 'web'),
  );
});

test('no package.json anywhere above: an error naming the file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'shepherd-no-root-'));
  const file = join(folder, 'a', 'b.mjs');
  assert.throws(
    () => findPackageRoot(pathToFileURL(file).href),
    new RegExp(`no package.json above ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
});
