import { matchGeminiPath } from './gemini/match-gemini-path.ts';

export type SimulatorRoute =
  | { kind: 'admin-faults' }
  | { kind: 'models'; flavor: 'openai' | 'deepseek' }
  | { kind: 'chat-completions' }
  | { kind: 'anthropic-messages' }
  | { kind: 'gemini' };

/** Maps method and path to what answers them; undefined is a 404. */
export function matchSimulatorRoute(method: string, pathname: string): SimulatorRoute | undefined {
  if (pathname === '/_simulator/faults') return { kind: 'admin-faults' };
  if (method === 'GET') {
    if (pathname === '/v1/models') return { kind: 'models', flavor: 'openai' };
    if (pathname === '/models') return { kind: 'models', flavor: 'deepseek' };
    return undefined;
  }
  if (method !== 'POST') return undefined;
  if (pathname === '/v1/chat/completions' || pathname === '/chat/completions')
    return { kind: 'chat-completions' };
  if (pathname === '/v1/messages') return { kind: 'anthropic-messages' };
  if (matchGeminiPath(pathname) !== undefined) return { kind: 'gemini' };
  return undefined;
}
