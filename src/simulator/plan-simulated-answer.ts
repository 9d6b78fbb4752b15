import { buildToolArguments } from './build-tool-arguments.ts';
import { countPromptTokens } from './count-prompt-tokens.ts';
import type { PromptCacheResult } from './create-prompt-cache.ts';
import { generateAnswerTokens, generateReasoningTokens } from './generate-simulated-tokens.ts';
import { parseSimulateDirective } from './parse-simulate-directive.ts';
import type { SimulatedAnswer, SimulatedToolCall } from './simulated-answer.ts';
import type { SimulatedTool, SimulationInput } from './simulation-input.ts';

export const DEFAULT_ANSWER_TOKENS = 30;
export const DEFAULT_REASONING_TOKENS = 16;
const ARGUMENT_PIECE_LENGTH = 12;

function chooseTool(input: SimulationInput): SimulatedTool | undefined {
  if (input.tools.length === 0 || input.toolChoice.mode === 'none' || !input.endsWithUserText) {
    return undefined;
  }
  const choice = input.toolChoice;
  const named =
    choice.mode === 'named' ? input.tools.find((tool) => tool.name === choice.name) : undefined;
  return named ?? input.tools[0];
}

function planToolCall(tool: SimulatedTool): SimulatedToolCall {
  const args = buildToolArguments(tool.parameters);
  const argumentsJson = JSON.stringify(args);
  const argumentPieces: string[] = [];
  for (let offset = 0; offset < argumentsJson.length; offset += ARGUMENT_PIECE_LENGTH) {
    argumentPieces.push(argumentsJson.slice(offset, offset + ARGUMENT_PIECE_LENGTH));
  }
  const tokens = argumentPieces.reduce((sum, piece) => sum + countPromptTokens(piece.length), 1);
  return { name: tool.name, arguments: args, argumentsJson, argumentPieces, tokens };
}

/**
 * Decides the whole answer. Output budget (`maxOutputTokens`) is spent on reasoning first, then on
 * text; running out gives finish `length`. A tool call is never truncated. Prompt tokens are
 * ceil(characters / 4) of the prompt's text (tool definitions are not counted).
 */
export function planSimulatedAnswer(
  input: SimulationInput,
  cache: PromptCacheResult,
): SimulatedAnswer {
  const directive = parseSimulateDirective(input.lastUserText);
  const budget = input.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const wantedReasoning =
    input.reasoning === 'none' ? 0 : (directive.reasoning ?? DEFAULT_REASONING_TOKENS);
  const reasoningCount = Math.min(wantedReasoning, budget);
  const reasoningTokens = generateReasoningTokens({
    userText: input.lastUserText,
    count: reasoningCount,
  });
  const characters = input.segments.reduce((sum, segment) => sum + segment.text.length, 0);
  const promptTokens = countPromptTokens(characters);
  const usageBase = {
    promptTokens,
    cacheReadTokens: cache.readTokens,
    cacheWriteTokens: cache.writeTokens,
    reasoningTokens: reasoningCount,
  };

  const tool = chooseTool(input);
  if (tool !== undefined) {
    const toolCall = planToolCall(tool);
    return {
      reasoningTokens,
      textTokens: [],
      toolCall,
      finish: 'tool_call',
      usage: { ...usageBase, outputTokens: reasoningCount + toolCall.tokens },
    };
  }

  const wantedText = directive.tokens ?? DEFAULT_ANSWER_TOKENS;
  const textCount = Math.max(0, Math.min(wantedText, budget - reasoningCount));
  const truncated = reasoningCount < wantedReasoning || textCount < wantedText;
  return {
    reasoningTokens,
    textTokens: generateAnswerTokens({
      model: input.model,
      userText: input.lastUserText,
      count: textCount,
    }),
    toolCall: undefined,
    finish: truncated ? 'length' : 'stop',
    usage: { ...usageBase, outputTokens: reasoningCount + textCount },
  };
}
