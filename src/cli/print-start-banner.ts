export interface StartBannerOptions {
  baseUrl: string;
  simulatedProviders: string[];
  /** Built-in providers without a key, left out with their models (a gateway beyond loopback). */
  leftOutProviders?: string[];
  realProviders: string[];
  demoKey: string | undefined;
  exampleModel: string;
  /**
   * The `--config` and `--database` the gateway was started with: `keys create` must be given the
   * same, or it writes the key to another database and the key answers 401.
   */
  storeOptions: { config?: string; database?: string };
}

/** The first thing a newcomer reads: where the gateway is, what it routes to, and how to call it. */
export function printStartBanner(options: StartBannerOptions): void {
  process.stdout.write(formatStartBanner(options));
}

/** The banner's text. */
export function formatStartBanner(options: StartBannerOptions): string {
  const key = options.demoKey ?? '<your key from `shepherd keys create`>';
  const consoleUrl = `${options.baseUrl.replace(/\/v1$/, '')}/console`;
  const lines = [
    '',
    `  Shepherd gateway is running: ${options.baseUrl}`,
    `  Web console (sign up for free credits): ${consoleUrl}`,
    '',
  ];
  if (options.realProviders.length > 0) {
    lines.push(`  Providers: ${options.realProviders.join(', ')}`);
  }
  if (options.simulatedProviders.length > 0) {
    lines.push(
      `  Simulated providers (no API key set, answers are simulated): ${options.simulatedProviders.join(', ')}`,
    );
  }
  const leftOut = options.leftOutProviders ?? [];
  if (leftOut.length > 0) {
    lines.push(
      `  Not served (no API key set; listening beyond loopback, so not simulated): ${leftOut.join(', ')}`,
    );
  }
  if (options.demoKey !== undefined) {
    lines.push(
      '',
      `  Demo API key (shown once; a new one is made at each start): ${options.demoKey}`,
    );
  } else {
    const { config, database } = options.storeOptions;
    const storeFlags = [
      ...(config === undefined ? [] : ['-c', config]),
      ...(database === undefined ? [] : ['--database', database]),
    ];
    lines.push(
      '',
      `  Create an API key with: ${['npx shepherd keys create --account <name>', ...storeFlags.map(shellWord)].join(' ')}`,
    );
  }
  const body = JSON.stringify({
    model: options.exampleModel,
    messages: [{ role: 'user', content: 'Hello!' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  lines.push(
    '',
    '  Try it with curl:',
    `    curl -N ${options.baseUrl}/chat/completions \\`,
    `      -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\`,
    `      -d '${body}'`,
    '',
    '  Or with the OpenAI Python SDK:',
    '    from openai import OpenAI',
    `    client = OpenAI(api_key="${key}", base_url="${options.baseUrl}")`,
    `    stream = client.chat.completions.create(model="${options.exampleModel}",`,
    '        messages=[{"role": "user", "content": "Hello!"}], stream=True)',
    '    for chunk in stream:',
    '        if chunk.choices and chunk.choices[0].delta.content:',
    '            print(chunk.choices[0].delta.content, end="")',
    '',
    `  Models: curl ${options.baseUrl}/models -H "Authorization: Bearer ${key}"`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** `text` as one shell word: as is when it is plain, else in single quotes. */
function shellWord(text: string): string {
  if (/^[\w./:@%+=,-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", "'\\''")}'`;
}
