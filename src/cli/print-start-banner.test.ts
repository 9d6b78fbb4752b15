import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStartBanner } from './print-start-banner.ts';

const gateway = {
  baseUrl: 'http://127.0.0.1:8080/v1',
  simulatedProviders: [],
  realProviders: ['local'],
  demoKey: undefined,
  exampleModel: 'llama3.1:8b',
};

test('the key-creation hint names the config and database the gateway was started with', () => {
  const banner = formatStartBanner({
    ...gateway,
    storeOptions: { config: 'my shepherd.yaml', database: 'sqlite:/srv/shepherd/gateway.db' },
  });
  assert.match(
    banner,
    /npx shepherd keys create --account <name> -c 'my shepherd\.yaml' --database sqlite:\/srv\/shepherd\/gateway\.db\n/,
  );
});

test('without --config or --database the hint is the bare command', () => {
  const banner = formatStartBanner({ ...gateway, storeOptions: {} });
  assert.match(banner, /npx shepherd keys create --account <name>\n/);
});
