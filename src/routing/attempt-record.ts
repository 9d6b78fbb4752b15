import type { Usage } from '../canonical/usage.ts';

/** One upstream attempt of a request, as the usage row's attempt chain records it. */
export interface AttemptRecord {
  deploymentId: string;
  /** The catalogue model this attempt asked for (a fallback model after the first). */
  modelId: string;
  provider: string;
  upstreamModel: string;
  /** `ok`: answered (a stream: its first content arrived and it was committed to). */
  outcome: 'ok' | 'error' | 'client_closed';
  errorCode: string | null;
  upstreamStatus: number | null;
  /** Milliseconds from the request's acceptance to this attempt's start. */
  startMs: number;
  /** Milliseconds until it answered, failed or committed its stream (0 while in progress). */
  durationMs: number;
  /**
   * A failed attempt whose provider had reported usage before it failed (Anthropic's
   * `message_start` counts the prompt): what it was billed, and its cost in wallet micro-units as
   * decimal text, priced at its own model (ledger.md I11). Absent on attempts that cost nothing.
   */
  billedUsage?: Usage | undefined;
  costMicros?: string | undefined;
}
