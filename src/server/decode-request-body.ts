import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import { GatewayError } from '../errors/gateway-error.ts';

type Decoder = (
  bytes: Buffer,
  options: ZlibOptions,
  callback: (error: Error | null, result: Buffer) => void,
) => void;

/** The content codings clients send request bodies in; zstd needs Node 22.15, newer than ours. */
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

/**
 * The body as sent before its `Content-Encoding` (none or `identity`: as it is). OpenAI's and
 * Anthropic's APIs take compressed bodies, and clients that compress long histories would
 * otherwise meet "not valid UTF-8". Decoded off the event loop, and refused once the decoded
 * bytes pass `limit` (the body limit applies to what the gateway reads, not what was on the
 * wire), so a small bomb cannot grow into memory.
 */
export function decodeRequestBody(
  bytes: Buffer,
  contentEncoding: string | undefined,
  limit: number,
  done: (error: Error | null, bytes: Buffer) => void,
): void {
  const encoding = contentEncoding?.trim().toLowerCase() ?? '';
  if (encoding === '' || encoding === 'identity') {
    done(null, bytes);
    return;
  }
  const decoder = DECODERS[encoding];
  if (decoder === undefined) {
    done(
      new GatewayError(
        'GW_ERR_UNSUPPORTED_MEDIA_TYPE',
        `The request body's Content-Encoding \`${encoding}\` is not supported; send it uncompressed or as gzip, deflate or br.`,
      ),
      EMPTY,
    );
    return;
  }
  decoder(bytes, { maxOutputLength: limit }, (error, decoded) => {
    if (error === null) done(null, decoded);
    else if ('code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') {
      done(
        new GatewayError(
          'GW_ERR_BODY_TOO_LARGE',
          'The request body, decompressed, is larger than this gateway accepts.',
        ),
        EMPTY,
      );
    } else {
      done(
        new GatewayError(
          'GW_ERR_INVALID_JSON',
          `The request body is not valid ${encoding} data, as its Content-Encoding says.`,
        ),
        EMPTY,
      );
    }
  });
}

const EMPTY = Buffer.alloc(0);
