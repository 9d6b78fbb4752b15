/** The simulator's token rule for prompt text: one token per four characters, rounded up. */
export function countPromptTokens(characters: number): number {
  return Math.ceil(characters / 4);
}
