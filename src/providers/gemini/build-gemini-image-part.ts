import type { ImagePart } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GeminiFileDataPart, GeminiInlineDataPart } from './gemini-request-body.ts';

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/** `fileData` needs a MIME type; a URL's extension is the only hint a pure mapper has. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

/**
 * Maps an image part: a base64 `data:` URL becomes `inlineData`; an http(s) URL becomes `fileData`,
 * which the Gemini API fetches itself. `detail` is dropped: Gemini has no per-image resolution
 * hint on this API (`mediaResolution` applies to the whole request), and `detail` is a cost/quality
 * hint that never changes the meaning of the request.
 *
 * @see https://ai.google.dev/gemini-api/docs/image-understanding
 */
export function buildGeminiImagePart(
  image: ImagePart,
  param: string,
): GeminiInlineDataPart | GeminiFileDataPart {
  if (image.url.startsWith('data:')) {
    const match = DATA_URL.exec(image.url);
    const parameters = match?.[2]?.toLowerCase().split(';') ?? [];
    if (match === null || !parameters.includes('base64')) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        'An image `data:` URL must be base64-encoded (`data:<mime>;base64,<data>`).',
        { param },
      );
    }
    return { inlineData: { mimeType: (match[1] ?? '').toLowerCase(), data: match[3] ?? '' } };
  }
  if (!/^https?:\/\//i.test(image.url)) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      'An image URL must be an `https://` URL or a base64 `data:` URL.',
      { param },
    );
  }
  return { fileData: { mimeType: guessMimeType(image.url), fileUri: image.url } };
}

function guessMimeType(url: string): string {
  const path = url.replace(/[?#].*$/s, '');
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension === undefined ? undefined : MIME_BY_EXTENSION[extension]) ?? 'image/jpeg';
}
