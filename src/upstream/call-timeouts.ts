/** One call's time limits, e.g. from a model's config; they override the client's defaults. */
export interface CallTimeouts {
  /** Milliseconds to open the TCP/TLS connection. */
  connectMs: number;
  /** Milliseconds from sending the request until the response headers arrive (first byte). */
  firstByteMs: number;
  /** Milliseconds of silence allowed between two body chunks. */
  idleMs: number;
  /** Milliseconds for the whole call, body included (a stream is cut with an error when it runs over). */
  totalMs: number;
}

/** The limits a call actually runs with: the client's defaults may set no total limit. */
export type EffectiveCallTimeouts = Omit<CallTimeouts, 'totalMs'> & { totalMs: number | undefined };
