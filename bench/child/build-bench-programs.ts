import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH_FOLDER = join(REPOSITORY_ROOT, 'bench');
/** Inside the package, so a bundle's runtime `require` of an external package resolves. */
const OUTPUT_FOLDER = join(REPOSITORY_ROOT, 'node_modules', '.cache', 'shepherd-bench');

/**
 * esbuild's options of `npm run build:server` (package.json), for every bundle the bench makes:
 * its own programs, and the gateway at another revision (`buildGatewayAtRevision`).
 */
export const GATEWAY_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'gpt-tokenizer'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: "import{createRequire as shepherdCreateRequire}from'node:module';const require=shepherdCreateRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

/** The bench's own programs, bundled; paths relative to bench/. */
export const BENCH_PROGRAMS = [
  'servers/simulator-child.ts',
  'servers/proxy-child.ts',
  'load/load-generator-child.ts',
  'child/gateway-ipc-preload.ts',
  'child/first-token-trace-preload.ts',
] as const;
export type BenchProgram = (typeof BENCH_PROGRAMS)[number];

export interface BenchPrograms {
  /** `dist/shepherd.mjs`, just built by `npm run build:server`: what `npm start` runs. */
  gateway: string;
  /** The bundled file of one of the bench's own programs. */
  script(program: BenchProgram): string;
}

/**
 * Builds what the bench runs, so no process under test carries a TypeScript loader (tsx's loader
 * thread and transformed sources cost a Node process about 60 MiB): the gateway exactly as users
 * run it (`npm run build:server`, the script `npm start` builds with), and the bench's own
 * children bundled the same way (same esbuild options as that script) into node_modules/.cache.
 */
export async function buildBenchPrograms(): Promise<BenchPrograms> {
  const npm = process.env.npm_execpath;
  const built = spawnSync(
    npm === undefined ? 'npm' : process.execPath,
    [...(npm === undefined ? [] : [npm]), 'run', '--silent', 'build:server'],
    { cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (built.status !== 0) {
    throw new Error(`npm run build:server failed: ${built.stderr || built.error?.message}`);
  }
  await build({
    entryPoints: BENCH_PROGRAMS.map((program) => join(BENCH_FOLDER, program)),
    outbase: BENCH_FOLDER,
    outdir: OUTPUT_FOLDER,
    outExtension: { '.js': '.mjs' },
    ...GATEWAY_BUNDLE_OPTIONS,
  });
  return {
    gateway: join(REPOSITORY_ROOT, 'dist', 'shepherd.mjs'),
    script: (program) => join(OUTPUT_FOLDER, program.replace(/\.ts$/, '.mjs')),
  };
}
