import type { GatewayConfigInput } from './config-schema.ts';

/**
 * The built-in catalogue: the models Shepherd's users ask for by the names they type, at the
 * providers' published list prices in USD per 1M tokens (checked 2026-11).
 *
 * - Anthropic: Sonnet 4 and 4.5 — $3 input, $15 output, $0.30 cache read, $3.75 5-minute and $6
 *   1-hour cache writes (prompts up to 200K tokens).
 * - OpenAI GPT-4.1 — $2 input, $0.50 cached input, $8 output.
 * - Gemini 2.5 Flash — $0.30 text/image/video input, $0.03 cached, $2.50 output (thinking included).
 * - DeepSeek V3.2 — $0.28 cache miss, $0.028 cache hit, $0.42 output; `deepseek-chat` is its
 *   non-thinking mode and `deepseek-reasoner` its thinking mode.
 */
/** Reasoning models may take minutes to the first token and far longer in total. */
const REASONING_TIMEOUTS = { firstByteMs: 300_000, totalMs: 1_800_000 };

export const DEFAULT_MODELS: NonNullable<GatewayConfigInput['models']> = [
  {
    id: 'claude-sonnet-4-20250514',
    aliases: ['claude-sonnet-4', 'claude-sonnet-4-0', 'anthropic/claude-sonnet-4'],
    ownedBy: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    pricing: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
    routes: [{ provider: 'anthropic', model: 'claude-sonnet-4-20250514' }],
    // Extended thinking with a large budget can run for many minutes.
    timeouts: REASONING_TIMEOUTS,
  },
  {
    id: 'claude-sonnet-4-5',
    aliases: ['claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4.5'],
    ownedBy: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    pricing: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
    routes: [{ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' }],
    // Extended thinking with a large budget can run for many minutes.
    timeouts: REASONING_TIMEOUTS,
  },
  {
    id: 'gpt-4.1',
    aliases: ['gpt-4.1-2025-04-14', 'openai/gpt-4.1'],
    ownedBy: 'openai',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    pricing: { input: 2, cachedInput: 0.5, output: 8 },
    routes: [{ provider: 'openai', model: 'gpt-4.1' }],
  },
  {
    id: 'gemini-2.5-flash',
    aliases: ['google/gemini-2.5-flash', 'models/gemini-2.5-flash'],
    ownedBy: 'google',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    pricing: { input: 0.3, cachedInput: 0.03, output: 2.5 },
    routes: [{ provider: 'gemini', model: 'gemini-2.5-flash' }],
  },
  {
    id: 'deepseek-v3.2',
    aliases: ['deepseek-chat', 'deepseek/deepseek-v3.2'],
    ownedBy: 'deepseek',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    pricing: { input: 0.28, cachedInput: 0.028, output: 0.42 },
    routes: [{ provider: 'deepseek', model: 'deepseek-chat' }],
  },
  {
    id: 'deepseek-v3.2-reasoner',
    aliases: ['deepseek-reasoner'],
    ownedBy: 'deepseek',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    pricing: { input: 0.28, cachedInput: 0.028, output: 0.42 },
    routes: [{ provider: 'deepseek', model: 'deepseek-reasoner' }],
    // Thinking mode can think for minutes before it answers (DeepSeek keeps the socket alive).
    timeouts: REASONING_TIMEOUTS,
  },
];

/** The built-in providers: where each lives and which environment variable holds its key. */
export const DEFAULT_PROVIDERS = {
  openai: {
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    keyVariables: ['OPENAI_API_KEY'],
  },
  anthropic: {
    type: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    keyVariables: ['ANTHROPIC_API_KEY'],
  },
  gemini: {
    type: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com',
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  },
  deepseek: {
    type: 'openai-compatible',
    baseUrl: 'https://api.deepseek.com',
    keyVariables: ['DEEPSEEK_API_KEY'],
  },
} as const;

export type DefaultProviderName = keyof typeof DEFAULT_PROVIDERS;

/** A built-in provider's key from `env`: its first variable set to a non-empty value. */
export function builtInProviderKey(
  name: DefaultProviderName,
  env: Record<string, string | undefined>,
): string | undefined {
  return DEFAULT_PROVIDERS[name].keyVariables.map((variable) => env[variable]).find(Boolean);
}

/** The built-in providers without a key in `env`: the ones the simulator stands in for. */
export function builtInProvidersWithoutKey(
  env: Record<string, string | undefined>,
): DefaultProviderName[] {
  return (Object.keys(DEFAULT_PROVIDERS) as DefaultProviderName[]).filter(
    (name) => builtInProviderKey(name, env) === undefined,
  );
}

/** Where each built-in provider lives on the simulator (same paths as the real provider). */
export function simulatorBaseUrl(provider: DefaultProviderName, simulatorUrl: string): string {
  return DEFAULT_PROVIDERS[provider].type === 'openai' ? `${simulatorUrl}/v1` : simulatorUrl;
}
