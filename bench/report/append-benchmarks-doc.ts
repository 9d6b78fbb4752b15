import { appendFileSync, existsSync, writeFileSync } from 'node:fs';

const HEADER = `# Benchmarks

Results of \`npm run bench\` (bench/run-bench.ts), newest last. Each section is appended by the
bench itself; bench/run-bench.ts describes what is measured and how.
`;

/** Appends one run's section to the benchmarks document, creating the document if needed. */
export function appendBenchmarksDoc(path: string, section: string): void {
  if (!existsSync(path)) writeFileSync(path, HEADER);
  appendFileSync(path, `\n${section}`);
}
