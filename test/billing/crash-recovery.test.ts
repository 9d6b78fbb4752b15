import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../../src/storage/open-store.ts';
import { registerCrashTests } from '../helpers/crash-burst.ts';

// Test plan D4 on a SQLite file; the procedure and what it checks: test/helpers/crash-burst.ts.
// PostgreSQL: crash-recovery-postgres.test.ts (a file of its own, so the two run in parallel).

const directory = mkdtempSync(join(tmpdir(), 'shepherd-crash-'));
after(() => rmSync(directory, { recursive: true, force: true }));
registerCrashTests('a SQLite file', async (seed) => {
  const url = `sqlite:${join(directory, `seed-${seed}`, 'shepherd.db')}`;
  return { url, env: {}, open: () => openStore({ url }) };
});
