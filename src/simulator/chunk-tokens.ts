/** Splits tokens into chunk strings of `perChunk` tokens each. */
export function chunkTokens(tokens: readonly string[], perChunk: number): string[][] {
  const chunks: string[][] = [];
  for (let index = 0; index < tokens.length; index += perChunk) {
    chunks.push(tokens.slice(index, index + perChunk));
  }
  return chunks;
}
