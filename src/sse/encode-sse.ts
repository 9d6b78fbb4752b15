/** Frames one SSE message. `data` must not contain line breaks (JSON from JSON.stringify never does). */
export function encodeSseMessage(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** An SSE comment line: ignored by clients, keeps proxies from closing an idle connection. */
export function encodeSseComment(text: string): string {
  return `: ${text}\n\n`;
}
