// Types for the undici files `undici-core.ts` loads directly: they are the index's own exports.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}

declare module 'undici/lib/core/errors.js' {
  import { errors } from 'undici';
  export default errors;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  /**
   * undici documents iterable bodies (docs/api/Dispatcher.md, `body`: `… | Iterable |
   * AsyncIterable | null`) and sends them, but its types leave them out.
   */
  export type RequestBody = Dispatcher.RequestOptions['body'] | Iterable<Uint8Array>;
  export default function request(
    this: Dispatcher,
    options: Omit<Dispatcher.RequestOptions, 'body'> & { body?: RequestBody },
  ): Promise<Dispatcher.ResponseData>;
}
