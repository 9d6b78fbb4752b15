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
  /** The first armed fault for this model, using up one of its `times`. */
  take(model: string): FaultSpec | undefined;
}

export function createFaultController(): FaultController {
  let armed: FaultSpec[] = [];
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
      if (spec === undefined) return undefined;
      if (spec.times !== undefined) {
        if (spec.times <= 1) armed.splice(index, 1);
        else armed[index] = { ...spec, times: spec.times - 1 };
      }
      return spec;
    },
  };
}
