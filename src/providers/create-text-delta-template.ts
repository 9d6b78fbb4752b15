import { safeParseJson } from '../util/safe-parse-json.ts';

/**
 * The text deltas of a stream, read without parsing the whole message each time. Providers
 * commonly send the messages of one run of text byte for byte alike but for the text itself
 * (Anthropic's `content_block_delta`, the chunks of many OpenAI-compatible servers, the simulator):
 * once one such message has been mapped in full, the next ones are recognised by everything around
 * the text and only that one JSON string is parsed. Anything else (another shape, something other
 * than one valid JSON string in the text's place) is left to the full mapping.
 *
 * A learned message is trusted only after a probe: the message with another text in that place,
 * mapped in full by `mapsToText`, must give exactly that text and nothing else. So the place is
 * the delta's text (not an id or a type that happens to be equal), and the message has no other
 * effect: a matching message maps to the same event the full mapping would give.
 */
export interface TextDeltaTemplate {
  /**
   * The text of `data` when it is the learned message with only its text changed, else undefined
   * (and the learned message is forgotten: whatever comes next may depend on this one).
   */
  read(data: string): string | undefined;
  /**
   * Learns `data`, a message that was just mapped in full to one text event carrying `text` and
   * nothing else. `mapsToText(probe, probeText)` maps `probe` in full without side effects and
   * says whether it gives exactly one text event carrying `probeText` and nothing else.
   */
  learn(
    data: string,
    text: string,
    mapsToText: (probe: string, probeText: string) => boolean,
  ): void;
}

/**
 * Learned messages that never matched before being forgotten, after which the stream stops
 * learning: a provider whose messages always differ elsewhere (OpenAI's random `obfuscation`
 * padding) costs a few probes per stream, not one per message.
 */
const MAX_UNUSED_LEARNINGS = 3;
const QUOTE = 34;

export function createTextDeltaTemplate(): TextDeltaTemplate {
  /** The learned message up to the text's opening quote, and from after its closing quote. */
  let head: string | undefined;
  let tail = '';
  let matched = false;
  let unusedLearnings = 0;

  const forget = () => {
    if (head !== undefined && !matched) unusedLearnings += 1;
    head = undefined;
    tail = '';
  };

  return {
    read(data) {
      if (head === undefined) return undefined;
      const start = head.length;
      const end = data.length - tail.length;
      // Slices compared with `===` rather than `startsWith`/`endsWith`: several times cheaper here.
      if (
        end - start < 2 ||
        data.charCodeAt(start) !== QUOTE ||
        data.charCodeAt(end - 1) !== QUOTE ||
        data.slice(0, start) !== head ||
        data.slice(end) !== tail
      ) {
        forget();
        return undefined;
      }
      // Parsing the one string checks it is a single, valid JSON string, decodes its escapes and
      // gives a string of its own: a slice would keep the whole upstream chunk alive for as long
      // as the meter keeps the delivered text (the stream's life).
      const parsed = safeParseJson(data.slice(start, end));
      if (!parsed.ok || typeof parsed.value !== 'string') {
        forget();
        return undefined;
      }
      matched = true;
      return parsed.value;
    },
    learn(data, text, mapsToText) {
      if (unusedLearnings >= MAX_UNUSED_LEARNINGS) return;
      forget();
      const literal = JSON.stringify(text);
      const at = data.indexOf(literal);
      // Absent (the provider escapes differently) or not alone: no template.
      if (at === -1 || data.indexOf(literal, at + 1) !== -1) {
        unusedLearnings += 1;
        return;
      }
      const learnedHead = data.slice(0, at);
      const learnedTail = data.slice(at + literal.length);
      const probeText = text === '\u0001' ? '\u0002' : '\u0001';
      if (!mapsToText(learnedHead + JSON.stringify(probeText) + learnedTail, probeText)) {
        unusedLearnings += 1;
        return;
      }
      head = learnedHead;
      tail = learnedTail;
      matched = false;
    },
  };
}
