import type { AssistantContentPart, ReasoningPart, ToolCallPart } from './chat-request.ts';
import type { ChatResponse } from './chat-response.ts';
import type { FinishReason } from './finish-reason.ts';
import type { StreamEvent } from './stream-event.ts';
import { EMPTY_USAGE, type Usage } from './usage.ts';

/**
 * Folds a canonical event stream into one `ChatResponse`. Adjacent text (and reasoning) deltas are
 * merged into one part; tool calls keep their order by index. Throws whatever the stream throws.
 */
export async function collectStream(events: AsyncIterable<StreamEvent>): Promise<ChatResponse> {
  let id = '';
  let model = '';
  let usage: Usage = EMPTY_USAGE;
  let finishReason: FinishReason | undefined;
  const content: AssistantContentPart[] = [];
  const toolCalls = new Map<number, ToolCallPart>();

  const lastPart = (): AssistantContentPart | undefined => content[content.length - 1];
  const currentReasoning = (): ReasoningPart => {
    const last = lastPart();
    // A signed or redacted block is closed: the next reasoning text starts a new block.
    if (
      last?.type === 'reasoning' &&
      last.signature === undefined &&
      last.redactedData === undefined
    ) {
      return last;
    }
    const part: ReasoningPart = { type: 'reasoning', text: '' };
    content.push(part);
    return part;
  };

  for await (const event of events) {
    switch (event.type) {
      case 'response-start':
        id = event.id;
        model = event.model;
        break;
      case 'text-delta': {
        const last = lastPart();
        if (last?.type === 'text' && last.refusal !== true) last.text += event.text;
        else content.push({ type: 'text', text: event.text });
        break;
      }
      case 'refusal-delta': {
        const last = lastPart();
        if (last?.type === 'text' && last.refusal === true) last.text += event.text;
        else content.push({ type: 'text', text: event.text, refusal: true });
        break;
      }
      case 'reasoning-delta':
        currentReasoning().text += event.text;
        break;
      case 'reasoning-signature':
        currentReasoning().signature = event.signature;
        break;
      case 'reasoning-redacted':
        content.push({ type: 'reasoning', text: '', redactedData: event.data });
        break;
      case 'tool-call-start': {
        const call: ToolCallPart = {
          type: 'tool-call',
          id: event.id,
          name: event.name,
          arguments: '',
        };
        if (event.signature !== undefined) call.signature = event.signature;
        toolCalls.set(event.index, call);
        content.push(call);
        break;
      }
      case 'tool-call-delta': {
        const call = toolCalls.get(event.index);
        if (call) call.arguments += event.argumentsDelta;
        break;
      }
      case 'usage':
        usage = event.usage;
        break;
      case 'response-end':
        finishReason = event.finishReason;
        break;
    }
  }
  for (const call of toolCalls.values()) if (call.arguments === '') call.arguments = '{}';
  return {
    id,
    model,
    content,
    finishReason: finishReason ?? 'stop',
    usage: { ...usage },
  };
}
