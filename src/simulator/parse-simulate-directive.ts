/** Caps keep a typo from asking the simulator for a gigabyte of text. */
const MAX_DIRECTIVE_TOKENS = 100_000;

const DIRECTIVE_PATTERN = /\[simulate\s+([^\]]*)\]/i;
const SETTING_PATTERN = /(tokens|reasoning)\s*=\s*(\d+)/gi;

export interface SimulateDirective {
  /** Answer length in tokens (finish `stop` when reached). */
  tokens?: number;
  /** Reasoning length in tokens, for requests that reason. */
  reasoning?: number;
}

/**
 * Reads `[simulate tokens=N reasoning=M]` from a user message. Unknown settings are ignored so a
 * message that merely mentions the syntax still gets an answer.
 */
export function parseSimulateDirective(text: string): SimulateDirective {
  const match = DIRECTIVE_PATTERN.exec(text);
  const directive: SimulateDirective = {};
  if (match === null) return directive;
  for (const setting of (match[1] ?? '').matchAll(SETTING_PATTERN)) {
    const value = Math.min(Number(setting[2]), MAX_DIRECTIVE_TOKENS);
    if (setting[1]?.toLowerCase() === 'tokens') directive.tokens = value;
    else directive.reasoning = value;
  }
  return directive;
}

/** The user's text without the directive, whitespace collapsed. */
export function stripSimulateDirective(text: string): string {
  return text.replace(DIRECTIVE_PATTERN, ' ').replace(/\s+/g, ' ').trim();
}
