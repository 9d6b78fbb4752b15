import { finishWithToolCalls } from '../../canonical/finish-reason.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord } from '../../util/safe-parse-json.ts';
import {
  type AnthropicUsage,
  anthropicMessageDeltaSchema,
  anthropicStreamStartSchema,
} from './anthropic-response-schemas.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';
import { mergeAnthropicUsage } from './merge-anthropic-usage.ts';

interface BlockState {
  kind: 'text' | 'thinking' | 'tool' | 'other';
  /** Position among this answer's tool calls (tool blocks only). */
  toolIndex: number;
  /** The tool block received some argument text. */
  hasArguments: boolean;
}

/**
 * What one Anthropic stream has told the gateway so far, with one handler per event type. Each
 * handler takes the parsed `data` object and returns the canonical events it produces. Deltas,
 * the bulk of a stream, are checked by hand rather than with zod to keep the hot path lean.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
export class AnthropicStreamState {
  private started = false;
  private stopReason: string | undefined;
  private usage: AnthropicUsage = {};
  private toolCallCount = 0;
  private readonly blocks = new Map<number, BlockState>();

  messageStart(payload: unknown): StreamEvent[] {
    const parsed = anthropicStreamStartSchema.safeParse(payload);
    if (!parsed.success || this.started) throw badEvent('message_start', parsed.error);
    this.started = true;
    const { message } = parsed.data;
    this.usage = mergeAnthropicUsage(this.usage, message.usage);
    return [
      { type: 'response-start', id: message.id, model: message.model },
      { type: 'usage', usage: mapAnthropicUsage(this.usage) },
    ];
  }

  blockStart(payload: Record<string, unknown>): StreamEvent[] {
    const { index, content_block: block } = payload;
    if (!this.started || typeof index !== 'number' || !isRecord(block)) {
      throw badEvent('content_block_start');
    }
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text', toolIndex: -1, hasArguments: false });
        return isFilled(block.text) ? [{ type: 'text-delta', text: block.text }] : [];
      case 'thinking': {
        this.blocks.set(index, { kind: 'thinking', toolIndex: -1, hasArguments: false });
        const events: StreamEvent[] = [];
        if (isFilled(block.thinking))
          events.push({ type: 'reasoning-delta', text: block.thinking });
        // The start normally carries `"signature": ""`; the signature follows as a delta.
        if (isFilled(block.signature)) {
          events.push({ type: 'reasoning-signature', signature: block.signature });
        }
        return events;
      }
      case 'redacted_thinking':
        if (typeof block.data !== 'string') throw badEvent('content_block_start');
        this.blocks.set(index, { kind: 'other', toolIndex: -1, hasArguments: false });
        return [{ type: 'reasoning-redacted', data: block.data }];
      case 'tool_use':
        return this.toolStart(index, block);
      default:
        // Server tool blocks and future types carry nothing the canonical stream can express.
        this.blocks.set(index, { kind: 'other', toolIndex: -1, hasArguments: false });
        return [];
    }
  }

  blockDelta(payload: Record<string, unknown>): StreamEvent | undefined {
    const { index, delta } = payload;
    const block = typeof index === 'number' ? this.blocks.get(index) : undefined;
    if (block === undefined || !isRecord(delta)) throw badEvent('content_block_delta');
    switch (delta.type) {
      case 'text_delta':
        return nonEmpty(delta.text, (text) => ({ type: 'text-delta', text }));
      case 'thinking_delta':
        return nonEmpty(delta.thinking, (text) => ({ type: 'reasoning-delta', text }));
      case 'signature_delta':
        return nonEmpty(delta.signature, (signature) => ({
          type: 'reasoning-signature',
          signature,
        }));
      case 'input_json_delta':
        // Server tool blocks stream their input too; it is Anthropic's to run, not the client's.
        if (block.kind !== 'tool') return undefined;
        return nonEmpty(delta.partial_json, (argumentsDelta) => {
          block.hasArguments = true;
          return { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta };
        });
      default:
        // `citations_delta` and future delta types: nothing to forward.
        return undefined;
    }
  }

  blockStop(payload: Record<string, unknown>): StreamEvent | undefined {
    const { index } = payload;
    const block = typeof index === 'number' ? this.blocks.get(index) : undefined;
    if (block === undefined || typeof index !== 'number') throw badEvent('content_block_stop');
    this.blocks.delete(index);
    // A tool called without arguments streams no JSON at all; clients expect an object.
    if (block.kind === 'tool' && !block.hasArguments) {
      return { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: '{}' };
    }
    return undefined;
  }

  /** Reports usage at once, so a stream cut before `message_stop` still carries output counts. */
  messageDelta(payload: unknown): StreamEvent | undefined {
    const parsed = anthropicMessageDeltaSchema.safeParse(payload);
    if (!parsed.success || !this.started) throw badEvent('message_delta', parsed.error);
    const stopReason = parsed.data.delta?.stop_reason;
    if (typeof stopReason === 'string') this.stopReason = stopReason;
    if (parsed.data.usage === undefined || parsed.data.usage === null) return undefined;
    this.usage = mergeAnthropicUsage(this.usage, parsed.data.usage);
    return { type: 'usage', usage: mapAnthropicUsage(this.usage) };
  }

  /** The final usage snapshot, then the end (a tool call makes a normal stop `tool-calls`). */
  messageStop(): StreamEvent[] {
    if (!this.started) throw badEvent('message_stop');
    return [
      { type: 'usage', usage: mapAnthropicUsage(this.usage) },
      {
        type: 'response-end',
        finishReason: finishWithToolCalls(
          mapAnthropicStopReason(this.stopReason),
          this.toolCallCount > 0,
        ),
      },
    ];
  }

  private toolStart(index: number, block: Record<string, unknown>): StreamEvent[] {
    const { id, name, input } = block;
    if (typeof id !== 'string' || typeof name !== 'string') throw badEvent('content_block_start');
    const state: BlockState = { kind: 'tool', toolIndex: this.toolCallCount, hasArguments: false };
    this.toolCallCount += 1;
    this.blocks.set(index, state);
    const events: StreamEvent[] = [{ type: 'tool-call-start', index: state.toolIndex, id, name }];
    // Anthropic starts with `input: {}` and streams the JSON; a compatible server may instead
    // send the whole input here.
    if (isRecord(input) && Object.keys(input).length > 0) {
      state.hasArguments = true;
      events.push({
        type: 'tool-call-delta',
        index: state.toolIndex,
        argumentsDelta: JSON.stringify(input),
      });
    }
    return events;
  }
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Maps a delta's string field; a missing field is malformed, an empty one yields nothing. */
function nonEmpty(value: unknown, toEvent: (text: string) => StreamEvent): StreamEvent | undefined {
  if (typeof value !== 'string') throw badEvent('content_block_delta');
  return value === '' ? undefined : toEvent(value);
}

function badEvent(eventType: string, cause?: unknown): GatewayError {
  return new GatewayError(
    'GW_ERR_UPSTREAM_BAD_RESPONSE',
    `The upstream provider sent a malformed \`${eventType}\` stream event.`,
    cause === undefined ? {} : { cause },
  );
}
