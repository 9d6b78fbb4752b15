/**
 * Orders deployments of equal priority so that, over many requests, each one is tried first in
 * proportion to its weight (exactly, not just on average: smooth weighted round-robin keeps per-group
 * state), the rest following by descending weight as in-request fallbacks.
 */
export interface WeightedPicker {
  /**
   * `group` names the state (e.g. `<model>#<priority>`); `items` are the currently available
   * candidates (ids and weights). Returns the ids, first the pick, then the others by weight.
   * Deterministic for a given history of calls.
   */
  order(group: string, items: readonly { id: string; weight: number }[]): string[];
}
