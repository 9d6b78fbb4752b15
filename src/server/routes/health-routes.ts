import type { FastifyInstance } from 'fastify';
import type { DeploymentHealth } from '../../routing/deployment-health.ts';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Milliseconds a readiness check may take before it counts as failed. */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process serves HTTP. `/readyz`: its dependencies answer too, with the upstream
 * deployments' circuit states as detail. Tripped upstreams do not make the gateway unready: other
 * models still serve, and fallbacks exist for exactly that case.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  checks: readonly ReadinessCheck[],
  health?: DeploymentHealth,
) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(checks.map(runCheck));
    const ready = results.every((result) => result.status === 'ok');
    void reply.code(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r])),
      ...(health === undefined ? {} : { upstreams: summarizeUpstreams(health) }),
    };
  });
}

function summarizeUpstreams(health: DeploymentHealth) {
  const deployments = health.snapshot(performance.now()).map((view) => ({
    id: view.id,
    state: view.state,
    consecutiveFailures: view.consecutiveFailures,
    failureRate: view.failureRate,
    retryAtMs: view.retryAtMs,
    coolingUntilMs: view.coolingUntilMs,
    lastError: view.lastError,
  }));
  return {
    available: deployments.filter((view) => view.state === 'closed').length,
    total: deployments.length,
    deployments,
  };
}

async function runCheck(
  check: ReadinessCheck,
): Promise<{ name: string; status: string; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, status: 'ok' };
  } catch (error) {
    return {
      name: check.name,
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
