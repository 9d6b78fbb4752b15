import { encodeSseMessage } from '../../sse/encode-sse.ts';
import { chunkTokens } from '../chunk-tokens.ts';
import type { RenderContext, StreamFrame, StreamPlan } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import { simulatedId, simulatedSignature } from '../simulated-id.ts';
import { anthropicErrorBody, anthropicRequestId } from './anthropic-error.ts';
import {
  anthropicStopReason,
  renderAnthropicDeltaUsage,
  renderAnthropicUsage,
} from './anthropic-usage.ts';

function event(type: string, json: string): string {
  return encodeSseMessage(json, type);
}

/**
 * A Messages stream: `message_start`, per block `content_block_start` → deltas →
 * `content_block_stop` (a `ping` after the first block opens), `message_delta` with the stop
 * reason and cumulative usage, `message_stop`. Thinking blocks end with a `signature_delta`;
 * tool input arrives as several `input_json_delta`s, the first one empty.
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
export function renderAnthropicStream(options: {
  model: string;
  thinking: boolean;
  answer: SimulatedAnswer;
  context: RenderContext;
}): StreamPlan {
  const { answer, context } = options;
  const frames: StreamFrame[] = [];
  const push = (text: string, tokens = 0, content = false): void => {
    frames.push({ text, tokens, content, final: false });
  };
  const message = {
    id: `msg_${simulatedId(context.sequence)}`,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: renderAnthropicUsage(answer.usage, 1),
  };
  push(event('message_start', JSON.stringify({ type: 'message_start', message })));

  let index = 0;
  const openBlock = (block: string, tokens = 0): void => {
    push(
      event(
        'content_block_start',
        `{"type":"content_block_start","index":${index},"content_block":${block}}`,
      ),
      tokens,
      tokens > 0,
    );
    if (index === 0) push(event('ping', '{"type":"ping"}'));
  };
  const deltaHead = (): string => `{"type":"content_block_delta","index":${index},"delta":`;
  const closeBlock = (): void => {
    push(event('content_block_stop', `{"type":"content_block_stop","index":${index}}`));
    index += 1;
  };

  if (options.thinking) {
    openBlock('{"type":"thinking","thinking":"","signature":""}');
    for (const chunk of chunkTokens(answer.reasoningTokens, context.tokensPerChunk)) {
      const json = `${deltaHead()}{"type":"thinking_delta","thinking":${JSON.stringify(chunk.join(''))}}}`;
      push(event('content_block_delta', json), chunk.length, true);
    }
    const signature = simulatedSignature(context.sequence, answer.reasoningTokens.join(''));
    push(
      event(
        'content_block_delta',
        `${deltaHead()}{"type":"signature_delta","signature":"${signature}"}}`,
      ),
    );
    closeBlock();
  }
  const toolCall = answer.toolCall;
  if (toolCall === undefined) {
    openBlock('{"type":"text","text":""}');
    for (const chunk of chunkTokens(answer.textTokens, context.tokensPerChunk)) {
      const json = `${deltaHead()}{"type":"text_delta","text":${JSON.stringify(chunk.join(''))}}}`;
      push(event('content_block_delta', json), chunk.length, true);
    }
  } else {
    const block = {
      type: 'tool_use',
      id: `toolu_${simulatedId(context.sequence)}`,
      name: toolCall.name,
      input: {},
    };
    openBlock(JSON.stringify(block), 1);
    push(
      event('content_block_delta', `${deltaHead()}{"type":"input_json_delta","partial_json":""}}`),
    );
    for (const piece of toolCall.argumentPieces) {
      const json = `${deltaHead()}{"type":"input_json_delta","partial_json":${JSON.stringify(piece)}}}`;
      push(event('content_block_delta', json), Math.ceil(piece.length / 4), true);
    }
  }
  closeBlock();

  const messageDelta = {
    type: 'message_delta',
    delta: { stop_reason: anthropicStopReason(answer.finish), stop_sequence: null },
    usage: renderAnthropicDeltaUsage(answer.usage),
  };
  frames.push({
    text: event('message_delta', JSON.stringify(messageDelta)),
    tokens: 0,
    content: false,
    final: true,
  });
  frames.push({
    text: event('message_stop', '{"type":"message_stop"}'),
    tokens: 0,
    content: false,
    final: true,
  });

  const errorJson = JSON.stringify(anthropicErrorBody(529, context.sequence));
  return {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': anthropicRequestId(context.sequence),
      'x-shepherd-simulator': 'anthropic',
    },
    keepAlive: undefined,
    frames,
    errorFrame: () => event('error', errorJson),
    malformedFrame: () =>
      event('content_block_delta', `{"type":"content_block_delta","index":${index},"delta":`),
  };
}
