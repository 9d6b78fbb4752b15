import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The pg driver, required when this module loads (only PostgreSQL stores load it, see
 * `openStore`) rather than imported: the server bundle keeps an external package's static
 * `import` at its top whatever loads the module, so a static import of pg loaded the driver in
 * every gateway, SQLite ones included, and with it Node's own fetch, which pg touches on load
 * (it probes `globalThis.Response`): megabytes of idle memory for nothing (docs/benchmarks.md,
 * idle RSS).
 */
export const pg: typeof import('pg') = require('pg');
