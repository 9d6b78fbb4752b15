import { isRecord } from '../../util/safe-parse-json.ts';
import { KNOWN_REQUEST_FIELDS, type OpenaiChatRequestBody } from './openai-chat-request-schema.ts';

/**
 * Whether `body` has the shape most requests have, checked by hand: text messages of the system,
 * developer, user and assistant roles, and scalar options. Such a body is one
 * `openaiChatRequestSchema` accepts unchanged (its output equals its input), so the parser can use
 * it as it is; anything else (tools, content parts, tool messages, a value out of range) is left
 * to the schema, which also words the errors. `is-plain-chat-request.test.ts` checks both on
 * generated bodies.
 *
 * Why not the schema every time: run on a CPU that idled for 20 ms (one request at a time, a
 * stream's time to first token apart), the schema took 65 µs p50 to check a five-field request, 9 µs
 * when warm: its code is large and runs cold. This check's code is small.
 */
export function isPlainChatRequest(body: Record<string, unknown>): body is OpenaiChatRequestBody {
  for (const key of Object.keys(body)) {
    const value = body[key];
    switch (key) {
      case 'model':
        if (typeof value !== 'string' || value === '') return false;
        break;
      case 'messages':
        if (!arePlainMessages(value)) return false;
        break;
      case 'temperature':
        if (!isNullishOr(value, isNumberIn(value, 0, 2))) return false;
        break;
      case 'top_p':
        if (!isNullishOr(value, isNumberIn(value, 0, 1))) return false;
        break;
      case 'frequency_penalty':
      case 'presence_penalty':
        if (!isNullishOr(value, isNumberIn(value, -2, 2))) return false;
        break;
      case 'max_tokens':
      case 'max_completion_tokens':
        if (!isNullishOr(value, isPositiveSafeInteger(value))) return false;
        break;
      case 'seed':
      case 'n':
        if (!isNullishOr(value, Number.isSafeInteger(value))) return false;
        break;
      case 'top_logprobs':
        if (!isNullishOr(value, Number.isSafeInteger(value) && isNumberIn(value, 0, 20))) {
          return false;
        }
        break;
      case 'stream':
      case 'parallel_tool_calls':
      case 'logprobs':
        if (!isNullishOr(value, typeof value === 'boolean')) return false;
        break;
      case 'user':
        if (!isNullishOr(value, typeof value === 'string')) return false;
        break;
      case 'stop':
        if (!isNullishOr(value, typeof value === 'string' || isShortStringList(value))) {
          return false;
        }
        break;
      case 'stream_options':
        if (!isNullishOr(value, arePlainStreamOptions(value))) return false;
        break;
      case 'reasoning_effort':
        if (!isNullishOr(value, isReasoningEffort(value))) return false;
        break;
      default:
        // Another field the schema interprets (tools, tool_choice, response_format, models, or
        // one added later) is the schema's to check, unless null (absent). Any other field is
        // passthrough, which the schema lets through as it is.
        if (KNOWN_REQUEST_FIELDS.has(key) && value !== null && value !== undefined) return false;
    }
  }
  return typeof body.model === 'string' && body.messages !== undefined;
}

function isNullishOr(value: unknown, valid: boolean): boolean {
  return value === null || value === undefined || valid;
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function isPositiveSafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isShortStringList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > 4) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function arePlainStreamOptions(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key of Object.keys(value)) {
    if (key !== 'include_usage' && key !== 'include_obfuscation') return false;
    if (!isNullishOr(value[key], typeof value[key] === 'boolean')) return false;
  }
  return true;
}

function isReasoningEffort(value: unknown): boolean {
  return (
    value === 'none' ||
    value === 'minimal' ||
    value === 'low' ||
    value === 'medium' ||
    value === 'high'
  );
}

function arePlainMessages(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const message of value) if (!isPlainMessage(message)) return false;
  return true;
}

/** Text content, an optional name, and nothing else; only an assistant's content may be null. */
function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message)) return false;
  const { role, content } = message;
  if (role === 'assistant') {
    if (!isNullishOr(content, typeof content === 'string')) return false;
  } else if (role === 'user' || role === 'system' || role === 'developer') {
    if (typeof content !== 'string') return false;
  } else return false;
  for (const key of Object.keys(message)) {
    if (key === 'name') {
      if (!isNullishOr(message.name, typeof message.name === 'string')) return false;
    } else if (key !== 'role' && key !== 'content') return false;
  }
  return true;
}
