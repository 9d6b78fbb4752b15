import type { WeightedPicker } from './weighted-picker.ts';

/**
 * Weights are summed as integers in millionths: with raw floats, rounding noise in the running
 * weights decides ties (three weights of 0.1 stop rotating a, b, c after a few thousand picks).
 */
const WEIGHT_SCALE = 1_000_000;
/** Keeps every running sum far below 2^53 even with thousands of deployments in a group. */
const MAX_SCALED_WEIGHT = 1e12;

/**
 * Smooth weighted round-robin (nginx's upstream algorithm): on each call every candidate's running
 * weight grows by its weight, the largest is picked and loses the sum of the weights. Over any run of
 * calls with the same candidates each one is picked in exact proportion to its weight, and picks are
 * interleaved (3:1 gives a a b a, not a a a b). An absent candidate keeps its running weight frozen
 * until it returns; a new one starts at zero. Non-positive weights are never picked first while a
 * positive one is present.
 */
export function createWeightedPicker(): WeightedPicker {
  const runningWeightsByGroup = new Map<string, Map<string, number>>();

  return {
    order(group: string, items: readonly { id: string; weight: number }[]): string[] {
      const first = items[0];
      if (first === undefined) return [];
      if (items.length === 1) return [first.id];

      let runningWeights = runningWeightsByGroup.get(group);
      if (runningWeights === undefined) {
        runningWeights = new Map();
        runningWeightsByGroup.set(group, runningWeights);
      }
      let total = 0;
      let pickedIndex = 0;
      let pickedRunningWeight = Number.NEGATIVE_INFINITY;
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        if (item === undefined) continue;
        const scaledWeight = scaleWeight(item.weight);
        const runningWeight = (runningWeights.get(item.id) ?? 0) + scaledWeight;
        runningWeights.set(item.id, runningWeight);
        total += scaledWeight;
        if (runningWeight > pickedRunningWeight) {
          pickedRunningWeight = runningWeight;
          pickedIndex = index;
        }
      }
      const picked = items[pickedIndex] ?? first;
      runningWeights.set(picked.id, pickedRunningWeight - total);

      const rest = items.filter((_, index) => index !== pickedIndex);
      // Array.prototype.sort is stable, so equal weights keep their input order.
      rest.sort((left, right) => scaleWeight(right.weight) - scaleWeight(left.weight));
      return [picked.id, ...rest.map((item) => item.id)];
    },
  };
}

function scaleWeight(weight: number): number {
  if (!(weight > 0)) return 0;
  return Math.min(MAX_SCALED_WEIGHT, Math.max(1, Math.round(weight * WEIGHT_SCALE)));
}
