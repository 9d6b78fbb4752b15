import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
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
 *
 * Both answer without credentials (probes carry none), so `/readyz` says what failed, never why:
 * a database driver's message names hosts, users and files, and a provider's last error speaks of
 * the operator's account. The reason goes to the log; upstream errors are in `/admin/api/upstreams`.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  checks: readonly ReadinessCheck[],
  health?: DeploymentHealth,
) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    const results = await Promise.all(checks.map((check) => runCheck(check, request.log)));
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
  }));
  return {
    available: deployments.filter((view) => view.state === 'closed').length,
    total: deployments.length,
    deployments,
  };
}

async function runCheck(
  check: ReadinessCheck,
  log: FastifyBaseLogger,
): Promise<{ name: string; status: string }> {
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
    log.warn({ err: error, check: check.name }, 'readiness check failed');
    return { name: check.name, status: 'failed' };
  } finally {
    clearTimeout(timer);
  }
}
