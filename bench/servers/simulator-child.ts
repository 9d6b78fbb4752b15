import { startSimulator } from '../../src/simulator/start-simulator.ts';
import { SIMULATOR_PROFILES } from '../bench-models.ts';
import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';

/** Child process: the provider simulator, instant except for the bench's paced models. */
async function main() {
  const simulator = await startSimulator({
    latency: 'instant',
    profiles: SIMULATOR_PROFILES,
    requestLogLimit: 1,
  });
  serveBenchChild({ info: { url: simulator.url }, stop: () => simulator.close() });
}

main().catch(failChildStart);
