import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelEntry } from '../config/config-schema.ts';
import { DEFAULT_CIRCUIT_BREAKER_POLICY } from './circuit-breaker-defaults.ts';
import { createDeploymentHealth } from './create-deployment-health.ts';
import { createRoutePlanner } from './create-route-planner.ts';
import { createWeightedPicker } from './create-weighted-picker.ts';
import { createModelCatalog } from './model-catalog.ts';

function model(
  id: string,
  routes: { provider: string; model: string; weight?: number; priority?: number }[],
  fallbacks?: string[],
): ModelEntry {
  return {
    id,
    aliases: [],
    ownedBy: 'test',
    contextWindow: 1000,
    maxOutputTokens: 100,
    free: true,
    routes: routes.map((route) => ({ weight: 1, priority: 0, ...route })),
    ...(fallbacks === undefined ? {} : { fallbacks }),
  };
}

function planner(models: ModelEntry[], defaultFallbacks: string[] = []) {
  const catalog = createModelCatalog(models);
  const health = createDeploymentHealth({
    policy: DEFAULT_CIRCUIT_BREAKER_POLICY,
    wallClock: () => 0,
  });
  const routePlanner = createRoutePlanner({
    catalog,
    health,
    picker: createWeightedPicker(),
    defaultFallbacks,
  });
  health.register(routePlanner.deployments);
  const find = (id: string) => {
    const entry = catalog.find(id);
    assert.ok(entry);
    return entry;
  };
  return { routePlanner, health, find };
}

const ids = (plan: { candidates: { id: string }[] }) => plan.candidates.map((entry) => entry.id);

describe('createRoutePlanner', () => {
  const models = [
    model(
      'a',
      [
        { provider: 'p1', model: 'a1', priority: 0, weight: 3 },
        { provider: 'p2', model: 'a2', priority: 0, weight: 1 },
        { provider: 'p3', model: 'a3', priority: 1 },
      ],
      ['b'],
    ),
    model('b', [{ provider: 'p1', model: 'b1' }], ['a']),
    model('c', [{ provider: 'p1', model: 'c1' }]),
  ];

  test('orders by priority, weight within a priority, then the fallback model', () => {
    const { routePlanner, find } = planner(models);
    const counts = new Map<string, number>();
    for (let request = 0; request < 400; request += 1) {
      const plan = routePlanner.plan(
        { model: find('a'), fallback: 'configured', allowedModels: null },
        0,
      );
      assert.deepEqual(
        plan.models.map((entry) => entry.id),
        ['a', 'b'],
      );
      const order = ids(plan);
      assert.deepEqual(order.slice(2), ['p3/a3', 'p1/b1']);
      counts.set(order[0] ?? '', (counts.get(order[0] ?? '') ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(counts), { 'p1/a1': 300, 'p2/a2': 100 });
  });

  test('fallbacks are one level deep, so A → B → A cannot loop', () => {
    const { routePlanner, find } = planner(models);
    const plan = routePlanner.plan(
      { model: find('b'), fallback: 'configured', allowedModels: null },
      0,
    );
    assert.deepEqual(
      plan.models.map((entry) => entry.id),
      ['b', 'a'],
    );
    assert.equal(new Set(ids(plan)).size, ids(plan).length);
  });

  test('`none` narrows to the model itself; the default list applies to models without their own', () => {
    const { routePlanner, find } = planner(models, ['a']);
    const narrowed = routePlanner.plan(
      { model: find('a'), fallback: 'none', allowedModels: null },
      0,
    );
    assert.deepEqual(
      narrowed.models.map((entry) => entry.id),
      ['a'],
    );
    const defaulted = routePlanner.plan(
      { model: find('c'), fallback: 'configured', allowedModels: null },
      0,
    );
    assert.deepEqual(
      defaulted.models.map((entry) => entry.id),
      ['c', 'a'],
    );
  });

  test('a request`s own `models` list replaces the configured fallbacks and is checked', () => {
    const { routePlanner, find } = planner(models);
    const plan = routePlanner.plan(
      { model: find('a'), requestModels: ['c', 'a'], fallback: 'configured', allowedModels: null },
      0,
    );
    assert.deepEqual(
      plan.models.map((entry) => entry.id),
      ['a', 'c'],
    );
    assert.throws(
      () =>
        routePlanner.plan(
          {
            model: find('a'),
            requestModels: ['nope'],
            fallback: 'configured',
            allowedModels: null,
          },
          0,
        ),
      { code: 'GW_ERR_MODEL_NOT_FOUND', param: 'models[0]' },
    );
    assert.throws(
      () =>
        routePlanner.plan(
          { model: find('a'), requestModels: ['c'], fallback: 'configured', allowedModels: ['a'] },
          0,
        ),
      { code: 'GW_ERR_MODEL_NOT_ALLOWED', param: 'models[0]' },
    );
  });

  test('configured fallbacks the key may not use are dropped, not refused', () => {
    const { routePlanner, find } = planner(models);
    const plan = routePlanner.plan(
      { model: find('a'), fallback: 'configured', allowedModels: ['a'] },
      0,
    );
    assert.deepEqual(
      plan.models.map((entry) => entry.id),
      ['a'],
    );
  });

  test('a deployment whose breaker is open goes last in its priority group', () => {
    const { routePlanner, health, find } = planner(models);
    for (
      let failure = 0;
      failure < DEFAULT_CIRCUIT_BREAKER_POLICY.consecutiveFailures;
      failure += 1
    ) {
      health.tryAcquire('p1/a1', 0);
      health.record('p1/a1', { kind: 'transient' }, 0);
    }
    const plan = routePlanner.plan({ model: find('a'), fallback: 'none', allowedModels: null }, 1);
    assert.deepEqual(ids(plan), ['p2/a2', 'p1/a1', 'p3/a3']);
  });
});
