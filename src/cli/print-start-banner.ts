/** The first thing a newcomer reads: where the gateway is, what it routes to, and how to call it. */
export function printStartBanner(options: {
  baseUrl: string;
  simulatedProviders: string[];
  realProviders: string[];
  demoKey: string | undefined;
  exampleModel: string;
}): void {
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
  if (options.demoKey !== undefined) {
    lines.push(
      '',
      `  Demo API key (shown once; a new one is made at each start): ${options.demoKey}`,
    );
  } else {
    lines.push('', '  Create an API key with: npx shepherd keys create --account <name>');
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
  process.stdout.write(`${lines.join('\n')}\n`);
}
