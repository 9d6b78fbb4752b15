import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';
import { createLoadRunner } from './create-load-runner.ts';
import { loadJobSchema } from './load-jobs.ts';

/** Child process: runs load jobs (method `run`) against bench targets with undici. */
function main() {
  const runner = createLoadRunner();
  serveBenchChild({
    info: {},
    handlers: { run: (payload) => runner.run(loadJobSchema.parse(payload)) },
    stop: () => runner.close(),
  });
}

try {
  main();
} catch (error) {
  failChildStart(error);
}
