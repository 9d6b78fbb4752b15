/**
 * A tool call id for servers that omit one, derived from the response id and the call's position
 * so the same answer always yields the same id (adapters use no randomness).
 */
export function synthesizeToolCallId(responseId: string, index: number): string {
  return `call_${responseId}_${index}`;
}
