/**
 * The id of a Gemini function call: the part's own `id` when Gemini sent one, else one derived
 * from the response id and the call's position, so the same answer always yields the same ids.
 */
export function geminiToolCallId(call: {
  partId: string | null | undefined;
  responseId: string;
  index: number;
}): string {
  if (call.partId !== undefined && call.partId !== null && call.partId !== '') return call.partId;
  return call.responseId === '' ? `call_${call.index}` : `call_${call.responseId}_${call.index}`;
}
