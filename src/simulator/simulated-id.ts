/** Deterministic id suffix that also says where the answer came from. */
export function simulatedId(sequence: number): string {
  return `shepherdsim${String(sequence).padStart(8, '0')}`;
}

/** A stable stand-in for a provider's opaque signature (thinking blocks, Gemini thoughtSignature). */
export function simulatedSignature(sequence: number, text: string): string {
  return Buffer.from(`shepherd-simulator-signature:${sequence}:${text.length}`).toString('base64');
}
