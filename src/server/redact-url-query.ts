/**
 * Query parameter names that carry credentials in some API or other: Gemini's REST `?key=`,
 * `?api_key=`, OAuth's `?access_token=`, signed URLs' `?sig=`. The gateway reads no credential
 * from the query string, but a client that puts one there is still logged.
 */
const CREDENTIAL_NAME = /key|token|secret|passw|auth|sig|session|credential|cookie/i;

/** Keys of OpenAI, Anthropic, DeepSeek and Shepherd itself all start with `sk-`. */
const CREDENTIAL_VALUE = /^(bearer\s|sk-)/i;

/**
 * The request URL as it may be logged: the path as it came, and the query string with the value
 * of every parameter that looks like a credential (by its name, or by its value) replaced by
 * `[redacted]`.
 */
export function redactUrlQuery(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((parameter) => {
      const separator = parameter.indexOf('=');
      if (separator < 0) return parameter;
      const name = parameter.slice(0, separator);
      const value = parameter.slice(separator + 1);
      if (!CREDENTIAL_NAME.test(decode(name)) && !CREDENTIAL_VALUE.test(decode(value))) {
        return parameter;
      }
      return `${name}=[redacted]`;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/** Percent-decoded, `+` as a space; text that is not valid percent-encoding is looked at as it is. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
