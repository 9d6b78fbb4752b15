/** Formats a validation path the way OpenAI names request fields: `messages[2].content[0].text`. */
export function formatParamPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else {
      const name = typeof key === 'symbol' ? (key.description ?? '') : key;
      text += text === '' ? name : `.${name}`;
    }
  }
  return text;
}
