import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BenchTarget } from './bench-types.ts';
import { createProgressDisplay, renderProgressBar } from './create-progress-display.ts';
import { benchSampleOf } from './test-support/bench-sample-of.ts';

const target: BenchTarget = {
  name: 'gateway',
  baseUrl: 'http://g/v1',
  apiKey: 'k',
  model: 'gpt-4.1',
};

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (text: string) => writes.push(text) } };
}

test('renderProgressBar fills in proportion, clamped', () => {
  assert.equal(renderProgressBar(0, 4, 8), '[--------]');
  assert.equal(renderProgressBar(1, 4, 8), '[##------]');
  assert.equal(renderProgressBar(4, 4, 8), '[########]');
  assert.equal(renderProgressBar(9, 4, 8), '[########]');
  assert.equal(renderProgressBar(0, 0, 8), '[########]');
});

test('without a terminal: one plain "run i/n" line per finished request', () => {
  const { writes, stream } = recorder(false);
  const display = createProgressDisplay(stream);
  display.warmingUp(target);
  display.runsStarting(8);
  display.completed(
    benchSampleOf({ target: 'gateway', length: 200, run: 1, ttftMs: 423.06, totalMs: 1601.4 }),
    1,
    8,
  );
  display.completed({ target: 'direct', length: 200, run: 1, ok: false, error: 'HTTP 500' }, 2, 8);
  display.finish();
  assert.deepEqual(writes, [
    'warm-up: gateway http://g/v1 (gpt-4.1)\n',
    '8 requests\n',
    'run 1/8: gateway, 200 tokens, run 1: TTFT 423.1 ms, total 1.601 s\n',
    'run 2/8: direct, 200 tokens, run 1: failed: HTTP 500\n',
  ]);
});

test('on a terminal: one redrawn line with a bar, cut to the width, cleared at the end', () => {
  const { writes, stream } = recorder(true);
  const display = createProgressDisplay(stream);
  display.runsStarting(24);
  display.completed(
    benchSampleOf({ target: 'gateway', length: 2000, run: 3, ttftMs: 1, totalMs: 2 }),
    6,
    24,
  );
  display.finish();
  const clear = '\r\u001b[2K';
  assert.deepEqual(writes, [
    `${clear}${renderProgressBar(0, 24)} 0/24`,
    `${clear}${`${renderProgressBar(6, 24)} 6/24  gateway, 2000 tokens, run 3: TTFT 1.0 ms`.slice(0, 59)}`,
    clear,
  ]);
  assert.ok((writes[1]?.length ?? 0) === clear.length + 59, 'cut to the terminal width');
});
