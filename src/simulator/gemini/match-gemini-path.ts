const GEMINI_PATH = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export interface GeminiPath {
  model: string;
  action: 'generateContent' | 'streamGenerateContent';
}

/** `/v1beta/models/{model}:generateContent` and `:streamGenerateContent` (also under `/v1`). */
export function matchGeminiPath(pathname: string): GeminiPath | undefined {
  const match = GEMINI_PATH.exec(pathname);
  const model = match?.[1];
  if (match === null || model === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(model);
  } catch {
    return undefined;
  }
  return {
    model: decoded,
    action: match[2] === 'generateContent' ? 'generateContent' : 'streamGenerateContent',
  };
}
