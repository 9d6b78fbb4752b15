import type { RoutingConfig } from '../config/config-schema.ts';
import { DEFAULT_CIRCUIT_BREAKER_POLICY } from './circuit-breaker-defaults.ts';
import { createDeploymentHealth } from './create-deployment-health.ts';
import { createRoutePlanner, type RoutePlanner } from './create-route-planner.ts';
import { createWeightedPicker } from './create-weighted-picker.ts';
import type { DeploymentHealth } from './deployment-health.ts';
import type { ModelCatalog } from './model-catalog.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';

export interface Routing {
  planner: RoutePlanner;
  health: DeploymentHealth;
  retryPolicy: RetryPolicy;
}

/** Routing for one gateway process: the config's overrides applied to the defaults. */
export function createRouting(options: {
  catalog: ModelCatalog;
  config: RoutingConfig;
  wallClock: () => number;
}): Routing {
  const { config } = options;
  const health = createDeploymentHealth({
    policy: Object.assign({}, DEFAULT_CIRCUIT_BREAKER_POLICY, definedOnly(config.circuitBreaker)),
    wallClock: options.wallClock,
  });
  const planner = createRoutePlanner({
    catalog: options.catalog,
    health,
    picker: createWeightedPicker(),
    defaultFallbacks: config.fallbacks,
  });
  health.register(planner.deployments);
  return {
    planner,
    health,
    retryPolicy: Object.assign({}, DEFAULT_RETRY_POLICY, definedOnly(config.retry)),
  };
}

/** Drops absent overrides so they do not replace a default with `undefined`. */
function definedOnly<T extends object>(
  overrides: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
