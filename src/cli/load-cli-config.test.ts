import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../config/load-config.ts';
import { loadCliConfig } from './load-cli-config.ts';

function configWithPepper(pepper: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'shepherd-cli-config-')), 'shepherd.yaml');
  writeFileSync(path, `security: { keyPepper: ${pepper} }\n`);
  return path;
}

test('SHEPHERD_KEY_PEPPER overrides security.keyPepper, as docs/configuration.md says', () => {
  const { config } = loadCliConfig({
    config: configWithPepper('pepper-from-the-file-0123'),
    env: { SHEPHERD_KEY_PEPPER: 'pepper-from-the-environment' },
  });
  assert.equal(config.security.keyPepper, 'pepper-from-the-environment');
});

test('a SHEPHERD_KEY_PEPPER that is empty or short is refused like one in the file', () => {
  for (const pepper of ['', 'short']) {
    assert.throws(
      () => loadCliConfig({ env: { SHEPHERD_KEY_PEPPER: pepper } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((problem) => problem.startsWith('security.keyPepper:')),
      JSON.stringify(pepper),
    );
  }
});
