import {
  BACKSLASH,
  FIRST_PLAIN_CHARACTER,
  QUOTE,
  readJsonStringLiteral,
} from '../util/json-string-literal.ts';
import { unsharedCopy } from '../util/unshared-copy.ts';

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
   *
   * The learning itself (the probe included) is done by the next `read`, before it reads its
   * message: the message that teaches the template is usually a stream's first text, which the
   * client is waiting for, so its frame goes out first. `mapsToText` must then still answer as it
   * would now: the caller's state must not change before that next `read`.
   */
  learn(
    data: string,
    text: string,
    mapsToText: (probe: string, probeText: string) => boolean,
  ): void;
}

export interface TextDeltaTemplateOptions {
  /**
   * A string field, after the text, whose value may differ in every message (padding such as
   * OpenAI's random `obfuscation`): its value is skipped rather than compared. The learned message
   * is then probed with another padding too, so the full mapping is shown to ignore it.
   */
  paddingField?: string;
}

/**
 * Learned messages that never matched before being forgotten, after which the stream stops
 * learning: a provider whose messages always differ elsewhere costs a few probes per stream, not
 * one per message.
 */
const MAX_UNUSED_LEARNINGS = 3;

export function createTextDeltaTemplate(options: TextDeltaTemplateOptions = {}): TextDeltaTemplate {
  const paddingKey =
    options.paddingField === undefined ? undefined : `${JSON.stringify(options.paddingField)}:"`;
  /** The learned message up to the text's opening quote. */
  let head: string | undefined;
  /**
   * From after the text's closing quote: the rest of the message, or, when it holds the padding
   * field, up to and including the padding value's opening quote.
   */
  let tail = '';
  /** From the padding value's closing quote to the end; undefined when there is no padding. */
  let afterPadding: string | undefined;
  let matched = false;
  let unusedLearnings = 0;
  /** A message to learn from, with its text and probe, left for the next `read`. */
  let lesson:
    | { data: string; text: string; mapsToText: (probe: string, probeText: string) => boolean }
    | undefined;

  const forget = () => {
    if (head !== undefined && !matched) unusedLearnings += 1;
    head = undefined;
    tail = '';
    afterPadding = undefined;
  };

  /** Where the text's literal ends in `data`, or -1 when the rest is not the learned tail. */
  const textEnd = (data: string): number => {
    if (afterPadding === undefined) {
      const end = data.length - tail.length;
      return data.slice(end) === tail ? end : -1;
    }
    const paddingEnd = data.length - afterPadding.length;
    if (paddingEnd < 0 || data.slice(paddingEnd) !== afterPadding) return -1;
    // The padding value must be a JSON string's content needing no escape: then the message is
    // the learned one with other values in the same two places, and nothing else changed. The
    // tail ends with the value's opening quote (the padding key's own), and the value holds no
    // quote: that quote is the first one before the value's end, found walking back over the
    // value (a backward `lastIndexOf` of the whole tail cost several times more).
    let quote = paddingEnd - 1;
    for (; quote >= 0; quote -= 1) {
      const code = data.charCodeAt(quote);
      if (code === QUOTE) break;
      if (code === BACKSLASH || code < FIRST_PLAIN_CHARACTER) return -1;
    }
    const end = quote + 1 - tail.length;
    return end >= 0 && data.slice(end, quote + 1) === tail ? end : -1;
  };

  const learnNow = (
    data: string,
    text: string,
    mapsToText: (probe: string, probeText: string) => boolean,
  ): void => {
    forget();
    const literal = JSON.stringify(text);
    const at = data.indexOf(literal);
    // Absent (the provider escapes differently) or not alone: no template.
    if (at === -1 || data.indexOf(literal, at + 1) !== -1) {
      unusedLearnings += 1;
      return;
    }
    const learnedHead = data.slice(0, at);
    const rest = data.slice(at + literal.length);
    const padding = paddingKey === undefined ? undefined : findPadding(rest, paddingKey);
    const learnedTail = padding === undefined ? rest : rest.slice(0, padding.start);
    const learnedAfterPadding = padding === undefined ? undefined : rest.slice(padding.end);
    const probeText = text === '\u0001' ? '\u0002' : '\u0001';
    // Another padding, of another length, so a mapping that read it would be caught.
    const probePadding = padding === undefined ? '' : `${padding.value}~probe`;
    const probe = `${learnedHead}${JSON.stringify(probeText)}${learnedTail}${probePadding}${learnedAfterPadding ?? ''}`;
    if (!mapsToText(probe, probeText)) {
      unusedLearnings += 1;
      return;
    }
    // Copies, not slices: kept for the rest of the stream, a slice would keep the whole read
    // this message came in with.
    head = unsharedCopy(learnedHead);
    tail = unsharedCopy(learnedTail);
    afterPadding =
      learnedAfterPadding === undefined ? undefined : unsharedCopy(learnedAfterPadding);
    matched = false;
  };

  return {
    read(data) {
      if (lesson !== undefined) {
        const { data: learnedData, text, mapsToText } = lesson;
        lesson = undefined;
        learnNow(learnedData, text, mapsToText);
      }
      if (head === undefined) return undefined;
      const start = head.length;
      const end = textEnd(data);
      // Slices compared with `===` rather than `startsWith`/`endsWith`: several times cheaper here.
      const text =
        end - start < 2 || data.slice(0, start) !== head
          ? undefined
          : readJsonStringLiteral(data, start, end);
      if (text === undefined) {
        forget();
        return undefined;
      }
      matched = true;
      return text;
    },
    learn(data, text, mapsToText) {
      if (unusedLearnings >= MAX_UNUSED_LEARNINGS) return;
      forget();
      lesson = { data, text, mapsToText };
    },
  };
}

/**
 * The value of the padding field in `rest` (the message after the text): its bounds and text, when
 * the field is there and its value needs no escape; else undefined (no padding: the whole rest is
 * then compared as it is). Only the first match counts (a second field of that name is compared
 * as part of the rest); whatever the match is, `learn`'s probe shows the mapping ignores its value.
 */
function findPadding(
  rest: string,
  paddingKey: string,
): { start: number; end: number; value: string } | undefined {
  const keyAt = rest.indexOf(paddingKey);
  if (keyAt === -1) return undefined;
  const start = keyAt + paddingKey.length;
  const end = rest.indexOf('"', start);
  if (end === -1) return undefined;
  const value = rest.slice(start, end);
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === BACKSLASH || code < FIRST_PLAIN_CHARACTER) return undefined;
  }
  return { start, end, value };
}
