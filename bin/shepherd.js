#!/usr/bin/env node
// Launcher. Runs the production bundle (dist/shepherd.mjs, made by `npm run build`; `npm start`
// builds it first): one plain ESM file, no TypeScript loader in the process, which keeps the
// gateway's resident set well under what running the sources through tsx costs (docs/benchmarks.md).
// A bundle older than any source file would run stale code, so then the sources run through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/shepherd.mjs`;

/** Newest modification time of any file under `folder`, in milliseconds. */
function newestChange(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestChange(`${root}src`)) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
