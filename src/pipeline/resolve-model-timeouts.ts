import type { ModelTimeouts } from '../config/config-schema.ts';
import type { CallTimeouts } from '../upstream/upstream-client.ts';

export interface ModelCallTimeouts {
  stream: CallTimeouts;
  /** A non-streaming answer sends its headers only with the whole body: first byte = total. */
  complete: CallTimeouts;
}

/** The config's upstream timeouts with a model's own overrides applied. */
export function resolveModelTimeouts(
  defaults: CallTimeouts,
  overrides: ModelTimeouts = {},
): ModelCallTimeouts {
  const stream: CallTimeouts = {
    connectMs: overrides.connectMs ?? defaults.connectMs,
    firstByteMs: overrides.firstByteMs ?? defaults.firstByteMs,
    idleMs: overrides.idleMs ?? defaults.idleMs,
    totalMs: overrides.totalMs ?? defaults.totalMs,
  };
  const complete: CallTimeouts = {
    connectMs: stream.connectMs,
    firstByteMs: stream.totalMs,
    idleMs: stream.idleMs,
    totalMs: stream.totalMs,
  };
  return { stream, complete };
}
