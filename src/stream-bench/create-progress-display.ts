import type { BenchSample, BenchTarget } from './bench-types.ts';

/** Where progress goes: process.stderr, or a recorder in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplay {
  warmingUp(target: BenchTarget): void;
  runsStarting(total: number): void;
  completed(sample: BenchSample, done: number, total: number): void;
  /** Clears the bar (on a terminal) so the table starts on a clean line. */
  finish(): void;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\u001b[2K';

/**
 * Progress on a terminal is one redrawn line with a bar; anywhere else (a pipe, a CI log) it is a
 * plain `run i/n` line per finished request, so logs stay readable.
 */
export function createProgressDisplay(stream: ProgressStream): ProgressDisplay {
  const terminal = stream.isTTY === true;
  let drawn = false;
  const draw = (text: string) => {
    // A pseudo-terminal without a size reports 0 columns.
    const columns = stream.columns === undefined || stream.columns <= 0 ? 80 : stream.columns;
    const width = Math.max(20, columns - 1);
    stream.write(`${CLEAR_LINE}${text.slice(0, width)}`);
    drawn = true;
  };
  return {
    warmingUp(target) {
      const text = `warm-up: ${target.name} ${target.baseUrl} (${target.model})`;
      if (terminal) draw(text);
      else stream.write(`${text}\n`);
    },
    runsStarting(total) {
      if (terminal) draw(`${renderProgressBar(0, total)} 0/${total}`);
      else stream.write(`${total} requests\n`);
    },
    completed(sample, done, total) {
      const what = `${sample.target}, ${sample.length} tokens, run ${sample.run}`;
      const outcome = sample.ok
        ? `TTFT ${sample.measurement.ttftMs.toFixed(1)} ms, total ${(sample.measurement.totalMs / 1000).toFixed(3)} s`
        : `failed: ${sample.error}`;
      if (terminal) draw(`${renderProgressBar(done, total)} ${done}/${total}  ${what}: ${outcome}`);
      else stream.write(`run ${done}/${total}: ${what}: ${outcome}\n`);
    },
    finish() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** `[#########---------------]`: done out of total, in a fixed width. */
export function renderProgressBar(done: number, total: number, width = BAR_WIDTH): string {
  const share = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
