/**
 * Methods every bench child answers, apart from the message schemas (child-messages.ts) so the
 * gateway's IPC preload can name them without bringing zod into the process under test.
 */
export const CPU_METHOD = 'cpu';
export const MEMORY_METHOD = 'memory';
export const STOP_METHOD = 'stop';
/** The gateway's bytes of request logs written so far (proof that logging ran). */
export const LOG_BYTES_METHOD = 'log-bytes';
/**
 * Writes a V8 heap snapshot to the path given (`{ path }`) and answers with that path
 * (measure-stream-memory.ts). Blocks the process while it writes, a full collection first.
 */
export const HEAP_SNAPSHOT_METHOD = 'heap-snapshot';
