import { stripSimulateDirective } from './parse-simulate-directive.ts';

const ECHO_WORDS = 8;
const ANSWER_FILLER =
  ' This answer was generated locally by the simulator, so no real provider was called and nothing was billed.';
const REASONING_FILLER = ' Weighing the request once more before answering.';

/** Splits text into tokens: each word with the whitespace before it. */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

const ANSWER_FILLER_TOKENS = splitIntoTokens(ANSWER_FILLER);
const REASONING_FILLER_TOKENS = splitIntoTokens(REASONING_FILLER);

function echoOf(userText: string): string {
  const words = stripSimulateDirective(userText)
    .split(' ')
    .filter((word) => word !== '');
  if (words.length === 0) return '';
  const echo = words.slice(0, ECHO_WORDS).join(' ');
  return words.length > ECHO_WORDS ? `${echo} …` : echo;
}

function takeTokens(lead: string[], filler: string[], count: number): string[] {
  if (count <= lead.length) return lead.slice(0, count);
  const tokens = lead.slice();
  while (tokens.length < count)
    tokens.push(filler[(tokens.length - lead.length) % filler.length] ?? '');
  return tokens;
}

/** The answer text: it says it is simulated, echoes the user's first words, then repeats a filler. */
export function generateAnswerTokens(options: {
  model: string;
  userText: string;
  count: number;
}): string[] {
  const echo = echoOf(options.userText);
  const lead = splitIntoTokens(
    `Simulated reply from Shepherd's provider simulator (model ${options.model}):` +
      (echo === '' ? '' : ` you wrote "${echo}".`),
  );
  return takeTokens(lead, ANSWER_FILLER_TOKENS, options.count);
}

/** The reasoning text, built the same way as the answer. */
export function generateReasoningTokens(options: { userText: string; count: number }): string[] {
  const echo = echoOf(options.userText);
  const lead = splitIntoTokens(
    "Simulated reasoning from Shepherd's provider simulator:" +
      (echo === '' ? ' the request has no text.' : ` the user wrote "${echo}".`),
  );
  return takeTokens(lead, REASONING_FILLER_TOKENS, options.count);
}
