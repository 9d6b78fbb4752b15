import { startSimulator } from '../../src/simulator/start-simulator.ts';
import {
  FAILING_UPSTREAM_MODEL,
  FAILING_UPSTREAM_STATUS,
  SIMULATOR_PROFILES,
} from '../bench-models.ts';
import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';

/**
 * Child process: the provider simulator, instant except for the bench's paced models, with the
 * failover run's upstream model always failing.
 */
async function main() {
  const simulator = await startSimulator({
    latency: 'instant',
    profiles: SIMULATOR_PROFILES,
    requestLogLimit: 1,
  });
  // The failover run's failing deployment: every request for it gets an instant 503.
  simulator.faults.add({ model: FAILING_UPSTREAM_MODEL, status: FAILING_UPSTREAM_STATUS });
  serveBenchChild({ info: { url: simulator.url }, stop: () => simulator.close() });
}

main().catch(failChildStart);
