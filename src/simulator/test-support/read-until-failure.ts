/** Reads a response body until it ends or the connection fails; keeps what arrived and when. */
export async function readUntilFailure(response: Response): Promise<{
  text: string;
  failed: boolean;
  /** performance.now() of each received piece. */
  arrivals: number[];
}> {
  const decoder = new TextDecoder();
  let text = '';
  const arrivals: number[] = [];
  const reader = response.body?.getReader();
  if (reader === undefined) return { text, failed: false, arrivals };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), failed: false, arrivals };
      arrivals.push(performance.now());
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true, arrivals };
  }
}
