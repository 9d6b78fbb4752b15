import type { ChatRequest, ToolChoice, ToolDefinition } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type {
  AnthropicRequestBody,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-request-body.ts';

/**
 * Maps `tools`, `tool_choice` and `parallel_tool_calls`. Without tools, `auto`, `none` and
 * `parallel_tool_calls` have nothing to act on and are not sent; `required` or a named tool
 * without tools is a client error, as it is on OpenAI.
 *
 * @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 */
export function buildAnthropicToolFields(
  request: ChatRequest,
): Pick<AnthropicRequestBody, 'tools' | 'tool_choice'> {
  const tools = request.tools ?? [];
  if (tools.length === 0) {
    if (request.toolChoice === 'required' || typeof request.toolChoice === 'object') {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', '`tool_choice` requires `tools`.', {
        param: 'tool_choice',
      });
    }
    return {};
  }
  const fields: Pick<AnthropicRequestBody, 'tools' | 'tool_choice'> = {
    tools: tools.map(anthropicTool),
  };
  const toolChoice = anthropicToolChoice(request.toolChoice, request.parallelToolCalls === false);
  if (toolChoice !== undefined) fields.tool_choice = toolChoice;
  return fields;
}

/** OpenAI allows a tool without parameters; Anthropic needs an object schema, so `{}` means none. */
function anthropicTool(tool: ToolDefinition): AnthropicTool {
  const inputSchema =
    Object.keys(tool.parameters).length === 0
      ? { type: 'object', properties: {} }
      : tool.parameters;
  const mapped: AnthropicTool = { name: tool.name, input_schema: inputSchema };
  if (tool.description !== undefined) mapped.description = tool.description;
  if (tool.strict !== undefined) mapped.strict = tool.strict;
  return mapped;
}

function anthropicToolChoice(
  choice: ToolChoice | undefined,
  disableParallel: boolean,
): AnthropicToolChoice | undefined {
  // `none` allows no tool call at all, so there is no parallelism left to disable.
  if (choice === 'none') return { type: 'none' };
  const parallel = disableParallel ? { disable_parallel_tool_use: true as const } : {};
  if (choice === undefined) return disableParallel ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.name, ...parallel };
}
