import type { Command } from 'commander';
import { startSimulator } from '../simulator/start-simulator.ts';
import { parseCliPort } from './parse-cli-input.ts';

/** `shepherd simulate`: the provider simulator alone, for trying clients or benchmarking. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the provider simulator (OpenAI, Anthropic, Gemini and DeepSeek wire formats)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on', parseCliPort, 8090)
    .option(
      '--latency <profile>',
      'realistic (≈400 ms to first token, ≈180 tokens/s) or instant',
      'realistic',
    )
    .action(async (options: { host: string; port: number; latency: string }) => {
      if (options.latency !== 'realistic' && options.latency !== 'instant') {
        throw new Error(`--latency must be realistic or instant, not ${options.latency}`);
      }
      const simulator = await startSimulator({
        host: options.host,
        port: options.port,
        latency: options.latency,
      });
      process.stdout.write(
        [
          `Provider simulator listening on ${simulator.url}`,
          `  OpenAI:    ${simulator.url}/v1/chat/completions`,
          `  DeepSeek:  ${simulator.url}/chat/completions`,
          `  Anthropic: ${simulator.url}/v1/messages`,
          `  Gemini:    ${simulator.url}/v1beta/models/{model}:streamGenerateContent?alt=sse`,
          `  Faults:    POST/DELETE ${simulator.url}/_simulator/faults`,
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await simulator.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
