import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/gateway-error.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses every request body as JSON, whatever its content type: `curl -d` without
 * `-H 'Content-Type: application/json'` sends form encoding, and refusing that would only confuse
 * newcomers. Invalid UTF-8 is refused rather than silently replaced with U+FFFD.
 */
export function registerJsonBodyParser(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: bodyLimitBytes },
    (_request, body, done) => {
      const bytes = body as Buffer;
      if (bytes.length === 0) {
        done(
          new GatewayError('GW_ERR_INVALID_JSON', 'The request body is empty; send a JSON object.'),
        );
        return;
      }
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        done(new GatewayError('GW_ERR_INVALID_JSON', 'The request body is not valid UTF-8.'));
        return;
      }
      const parsed = safeParseJson(text);
      if (!parsed.ok) {
        done(
          new GatewayError(
            'GW_ERR_INVALID_JSON',
            `The request body is not valid JSON (${parsed.error}). Check quoting and commas, and send it with Content-Type: application/json.`,
          ),
        );
        return;
      }
      done(null, parsed.value);
    },
  );
}
