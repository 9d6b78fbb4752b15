/**
 * One place a model can be served from: a configured provider (its base URL and credential) and the
 * model id that provider knows. A model lists one or more; fallback models bring their own.
 */
export interface Deployment {
  /** Stable id for health, logs and the attempt chain: `<provider>/<upstream model>`. */
  id: string;
  /** The catalogue model this deployment serves (what `x-shepherd-model` reports). */
  modelId: string;
  /** A key of the config's `providers`. */
  provider: string;
  upstreamModel: string;
  /** Share of traffic among deployments of the same model and priority (positive). */
  weight: number;
  /** Lower is tried first; higher priorities take traffic only when lower ones fail or are down. */
  priority: number;
}

export function deploymentId(provider: string, upstreamModel: string): string {
  return `${provider}/${upstreamModel}`;
}
