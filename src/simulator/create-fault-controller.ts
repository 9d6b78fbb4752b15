import { describeZodIssues } from './describe-zod-issues.ts';
import { type FaultSpec, faultSpecSchema } from './fault-spec.ts';

/** The in-process handle on injected faults (the HTTP admin endpoint uses the same one). */
export interface FaultController {
  /** Validates and appends a fault; throws on an invalid spec. */
  add(spec: FaultSpec): void;
  /** Removes every fault. */
  clear(): void;
  /** The faults still armed, with their remaining `times`. */
  list(): FaultSpec[];
  /**
   * The first armed fault for this model, using up one of its `times`, if it fires for this
   * request (its `probability`); otherwise undefined and nothing is used up.
   */
  take(model: string): FaultSpec | undefined;
  /** Rolls a fault's `probability` once for one request (header faults use it too). */
  fires(spec: FaultSpec): boolean;
}

/** `random` returns a number in [0, 1), like Math.random; tests script it to be deterministic. */
export function createFaultController(random: () => number = Math.random): FaultController {
  let armed: FaultSpec[] = [];
  // A certain fault does not draw, so adding `probability` to one spec leaves others' draws alone.
  const fires = (spec: FaultSpec) =>
    spec.probability === undefined || spec.probability >= 1 || random() < spec.probability;
  return {
    add(spec) {
      const parsed = faultSpecSchema.safeParse(spec);
      if (!parsed.success)
        throw new Error(`Invalid fault spec: ${describeZodIssues(parsed.error)}`);
      armed.push({ ...parsed.data });
    },
    clear() {
      armed = [];
    },
    list() {
      return armed.map((spec) => ({ ...spec }));
    },
    take(model) {
      const index = armed.findIndex((spec) => spec.model === undefined || spec.model === model);
      const spec = armed[index];
      if (spec === undefined || !fires(spec)) return undefined;
      if (spec.times !== undefined) {
        if (spec.times <= 1) armed.splice(index, 1);
        else armed[index] = { ...spec, times: spec.times - 1 };
      }
      return spec;
    },
    fires,
  };
}
