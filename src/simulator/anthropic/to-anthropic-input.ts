import type { PromptSegment, SimulatedToolChoice, SimulationInput } from '../simulation-input.ts';
import type { AnthropicContentBlock, AnthropicRequest } from './anthropic-request-schema.ts';

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('');
}

/** Text a block contributes to the prompt; thinking, images and documents count as nothing. */
function blockText(block: AnthropicContentBlock): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'tool_use') return (block.name ?? '') + JSON.stringify(block.input ?? {});
  if (block.type === 'tool_result') return toolResultText(block.content);
  return '';
}

function blocksOf(
  content: AnthropicRequest['messages'][number]['content'],
): AnthropicContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function userText(message: AnthropicRequest['messages'][number]): string {
  return blocksOf(message.content)
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
}

function toolChoiceOf(choice: AnthropicRequest['tool_choice']): SimulatedToolChoice {
  if (choice?.type === 'none') return { mode: 'none' };
  if (choice?.type === 'any') return { mode: 'required' };
  if (choice?.type === 'tool' && choice.name !== undefined)
    return { mode: 'named', name: choice.name };
  return { mode: 'auto' };
}

/**
 * Reduces a Messages request to the neutral input. Every system and content block is one segment;
 * a block with `cache_control` is a cache breakpoint, as at Anthropic (tool definitions are not
 * counted, so a breakpoint on a tool caches nothing).
 */
export function toAnthropicInput(request: AnthropicRequest): SimulationInput {
  const segments: PromptSegment[] = [];
  const system = request.system ?? [];
  for (const block of typeof system === 'string'
    ? [{ text: system, cache_control: null }]
    : system) {
    segments.push({ text: block.text, cacheBreakpoint: block.cache_control != null });
  }
  for (const message of request.messages) {
    for (const block of blocksOf(message.content)) {
      segments.push({ text: blockText(block), cacheBreakpoint: block.cache_control != null });
    }
  }
  const last = request.messages.at(-1);
  const lastBlocks = last === undefined ? [] : blocksOf(last.content);
  const lastUser = request.messages.findLast(
    (message) => message.role === 'user' && userText(message) !== '',
  );
  const thinking = request.thinking?.type;
  return {
    model: request.model,
    segments,
    endsWithUserText:
      last?.role === 'user' && !lastBlocks.some((block) => block.type === 'tool_result'),
    lastUserText: lastUser === undefined ? '' : userText(lastUser),
    tools: (request.tools ?? []).map((tool) => ({
      name: tool.name,
      parameters: tool.input_schema,
    })),
    toolChoice: toolChoiceOf(request.tool_choice),
    maxOutputTokens: request.max_tokens,
    reasoning: thinking === 'enabled' || thinking === 'adaptive' ? 'visible' : 'none',
  };
}
