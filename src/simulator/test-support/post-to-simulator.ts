export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

/** POSTs JSON to the simulator and reads the whole reply as text (for raw wire assertions). */
export async function postToSimulator(options: {
  url: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}): Promise<RawReply> {
  const response = await fetch(options.url + options.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
