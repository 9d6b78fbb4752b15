/** The SSE `data:` payloads of a body, in order, split on the given separator. */
export function dataPayloads(body: string, separator = '\n\n'): string[] {
  return body
    .split(separator)
    .filter((event) => event !== '')
    .flatMap((event) => event.split(/\r?\n/).filter((line) => line.startsWith('data: ')))
    .map((line) => line.slice('data: '.length));
}
