import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GATEWAY_BUNDLE_OPTIONS } from './build-bench-programs.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Inside the package, like the bench's own programs: the bundle's runtime `require` of an external
 * package (better-sqlite3, pg, gpt-tokenizer) resolves to this checkout's node_modules, and its
 * package root (web assets) is this checkout.
 */
const OUTPUT_FOLDER = join(REPOSITORY_ROOT, 'node_modules', '.cache', 'shepherd-compare');

/**
 * Builds the gateway as `npm run build:server` would at another git revision: that revision's
 * src/ is taken out of git (`git archive`, the working tree is not touched) and bundled with the
 * same esbuild options. Returns the bundle's path. Packages come from this checkout's
 * node_modules, so a revision whose dependencies differ from the checkout's is not comparable.
 */
export async function buildGatewayAtRevision(revision: string): Promise<string> {
  const resolved = git(['rev-parse', '--verify', `${revision}^{commit}`]).trim();
  const folder = join(OUTPUT_FOLDER, resolved);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', resolved, 'src'], {
    cwd: REPOSITORY_ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive ${revision}: ${archive.stderr}`);
  const unpacked = spawnSync('tar', ['-x', '-C', folder], { input: archive.stdout });
  if (unpacked.status !== 0) throw new Error(`tar: ${unpacked.stderr}`);
  const outfile = join(folder, 'shepherd.mjs');
  await build({
    entryPoints: [join(folder, 'src', 'cli', 'main.ts')],
    outfile,
    ...GATEWAY_BUNDLE_OPTIONS,
  });
  return outfile;
}

function git(args: string[]): string {
  const result = spawnSync('git', args, { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
