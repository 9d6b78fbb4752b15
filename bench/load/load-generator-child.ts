import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';
import { createLoadRunner } from './create-load-runner.ts';
import { createSlowStreamRunner } from './create-slow-stream-runner.ts';
import { loadJobSchema, slowStreamsJobSchema } from './load-jobs.ts';

/**
 * Child process: runs load jobs (method `run`) against bench targets with undici, and the
 * slow-streams run in two calls (`open-slow-streams`, then `finish-slow-streams`).
 */
function main() {
  const runner = createLoadRunner();
  const slowStreams = createSlowStreamRunner();
  serveBenchChild({
    info: {},
    handlers: {
      run: (payload) => runner.run(loadJobSchema.parse(payload)),
      'open-slow-streams': (payload) => slowStreams.open(slowStreamsJobSchema.parse(payload)),
      'finish-slow-streams': () => slowStreams.finish(),
    },
    stop: async () => {
      await Promise.all([runner.close(), slowStreams.close()]);
    },
  });
}

try {
  main();
} catch (error) {
  failChildStart(error);
}
