import type { ModelEntry } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { type Deployment, deploymentId } from './deployment.ts';
import type { DeploymentHealth } from './deployment-health.ts';
import type { ModelCatalog } from './model-catalog.ts';
import type { WeightedPicker } from './weighted-picker.ts';

/** What a request asked of routing beyond its model name. */
export interface RouteRequest {
  /** The catalogue entry of the requested model (already resolved and allowed). */
  model: ModelEntry;
  /** An ordered list of models from the body (`models: [...]`, as OpenRouter accepts); replaces the configured fallbacks. */
  requestModels?: readonly string[] | undefined;
  /** `x-shepherd-fallback: none` narrows the request to the model's own deployments. */
  fallback: 'configured' | 'none';
  /** Public model ids the key may use; null = every model. */
  allowedModels: readonly string[] | null;
}

export interface RoutePlan {
  /** The requested model first, then its fallback models, each once. */
  models: ModelEntry[];
  /** Every deployment to try, in order. */
  candidates: Deployment[];
}

export interface RoutePlanner {
  plan(request: RouteRequest, nowMs: number): RoutePlan;
  /** Every deployment of every model (for registering health). */
  readonly deployments: readonly Deployment[];
}

interface PriorityGroup {
  key: string;
  deployments: Deployment[];
}

/**
 * Expands a model into the ordered deployments to try: its own by priority (equal priorities
 * shared by weight, the ones whose breaker is open last), then each fallback model's the same way.
 * Fallbacks are one level deep (a fallback's own fallbacks are not followed) and each model appears
 * once, so no plan can cycle.
 */
export function createRoutePlanner(options: {
  catalog: ModelCatalog;
  health: DeploymentHealth;
  picker: WeightedPicker;
  /** `routing.fallbacks`: for models that list none of their own. */
  defaultFallbacks: readonly string[];
}): RoutePlanner {
  const { catalog, health, picker } = options;
  const groupsByModel = new Map<string, PriorityGroup[]>();
  const deployments: Deployment[] = [];
  for (const model of catalog.models) {
    const own = model.routes.map(
      (route): Deployment => ({
        id: deploymentId(route.provider, route.model),
        modelId: model.id,
        provider: route.provider,
        upstreamModel: route.model,
        weight: route.weight,
        priority: route.priority,
      }),
    );
    deployments.push(...own);
    const priorities = [...new Set(own.map((deployment) => deployment.priority))].sort(
      (a, b) => a - b,
    );
    groupsByModel.set(
      model.id,
      priorities.map((priority) => ({
        key: `${model.id}#${priority}`,
        deployments: own.filter((deployment) => deployment.priority === priority),
      })),
    );
  }

  function orderModel(model: ModelEntry, nowMs: number, into: Deployment[]): void {
    for (const group of groupsByModel.get(model.id) ?? []) {
      if (group.deployments.length === 1) {
        into.push(...group.deployments);
        continue;
      }
      const available: Deployment[] = [];
      const down: Deployment[] = [];
      for (const deployment of group.deployments) {
        (health.isAvailable(deployment.id, nowMs) ? available : down).push(deployment);
      }
      const byId = new Map(available.map((deployment) => [deployment.id, deployment]));
      for (const id of picker.order(group.key, available)) {
        const deployment = byId.get(id);
        if (deployment !== undefined) into.push(deployment);
      }
      into.push(...down);
    }
  }

  function fallbackModels(request: RouteRequest): ModelEntry[] {
    if (request.fallback === 'none') return [];
    if (request.requestModels !== undefined) {
      return request.requestModels.map((name, index) => {
        const model = catalog.find(name);
        if (model === undefined) {
          throw new GatewayError(
            'GW_ERR_MODEL_NOT_FOUND',
            `The model \`${name.slice(0, 100)}\` in \`models\` does not exist on this gateway. GET /v1/models lists every available model.`,
            { param: `models[${index}]` },
          );
        }
        if (request.allowedModels !== null && !request.allowedModels.includes(model.id)) {
          throw new GatewayError(
            'GW_ERR_MODEL_NOT_ALLOWED',
            `This API key may not use \`${model.id}\` (listed in \`models\`).`,
            { param: `models[${index}]` },
          );
        }
        return model;
      });
    }
    const names = request.model.fallbacks ?? options.defaultFallbacks;
    const models: ModelEntry[] = [];
    for (const name of names) {
      const model = catalog.find(name);
      // Configured fallbacks the key may not use are skipped, not refused: the key never asked.
      if (model === undefined) continue;
      if (request.allowedModels !== null && !request.allowedModels.includes(model.id)) continue;
      models.push(model);
    }
    return models;
  }

  return {
    deployments,
    plan(request, nowMs) {
      const models = [request.model];
      for (const model of fallbackModels(request)) {
        if (!models.includes(model)) models.push(model);
      }
      const candidates: Deployment[] = [];
      for (const model of models) orderModel(model, nowMs, candidates);
      // A deployment shared by two models in the chain is tried once, under the first.
      const seen = new Set<string>();
      return {
        models,
        candidates:
          models.length === 1
            ? candidates
            : candidates.filter((deployment) => {
                if (seen.has(deployment.id)) return false;
                seen.add(deployment.id);
                return true;
              }),
      };
    },
  };
}
