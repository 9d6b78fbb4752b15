import type { ReasoningMode, SimulatedToolChoice, SimulationInput } from '../simulation-input.ts';
import type { GeminiPart, GeminiRequest } from './gemini-request-schema.ts';

/** Text a part contributes to the prompt; earlier thought summaries are not counted. */
function partText(part: GeminiPart): string {
  if (part.thought === true) return '';
  if (part.text !== undefined) return part.text;
  if (part.functionCall !== undefined)
    return part.functionCall.name + JSON.stringify(part.functionCall.args ?? {});
  if (part.functionResponse !== undefined) {
    return part.functionResponse.name + JSON.stringify(part.functionResponse.response ?? {});
  }
  return '';
}

function partsText(parts: readonly GeminiPart[]): string {
  return parts.map(partText).join('');
}

function userText(parts: readonly GeminiPart[]): string {
  return parts.map((part) => (part.thought === true ? '' : (part.text ?? ''))).join('');
}

function toolChoiceOf(request: GeminiRequest): SimulatedToolChoice {
  const config = request.toolConfig?.functionCallingConfig;
  const mode = config?.mode?.toUpperCase();
  if (mode === 'NONE') return { mode: 'none' };
  const allowed = config?.allowedFunctionNames?.[0];
  if (mode === 'ANY' || mode === 'VALIDATED') {
    return allowed === undefined ? { mode: 'required' } : { mode: 'named', name: allowed };
  }
  return { mode: 'auto' };
}

/**
 * Gemini 2.5 Pro/Flash and Gemini 3 think unless `thinkingBudget` is 0; the thoughts are shown
 * only with `includeThoughts`, otherwise just counted in `thoughtsTokenCount`.
 */
function reasoningOf(model: string, request: GeminiRequest): ReasoningMode {
  const config = request.generationConfig?.thinkingConfig;
  if (config?.thinkingBudget === 0) return 'none';
  if (config?.includeThoughts === true) return 'visible';
  const thinksByDefault = /^gemini-(2\.5-(pro|flash)|3)/.test(model) && !model.includes('lite');
  const asked = (config?.thinkingBudget ?? 0) > 0 || config?.thinkingLevel !== undefined;
  return thinksByDefault || asked ? 'hidden' : 'none';
}

/** Reduces a `generateContent` request to the neutral input (the model comes from the path). */
export function toGeminiInput(model: string, request: GeminiRequest): SimulationInput {
  const system =
    request.systemInstruction === undefined ? [] : [partsText(request.systemInstruction.parts)];
  const texts = [...system, ...request.contents.map((content) => partsText(content.parts))];
  const last = request.contents.at(-1);
  const isUser = (content: GeminiRequest['contents'][number]): boolean =>
    (content.role ?? 'user') === 'user';
  const lastUser = request.contents.findLast(
    (content) => isUser(content) && userText(content.parts) !== '',
  );
  return {
    model,
    segments: texts.map((text, index) => ({ text, cacheBreakpoint: index < texts.length - 1 })),
    endsWithUserText:
      last !== undefined &&
      isUser(last) &&
      userText(last.parts) !== '' &&
      !last.parts.some((part) => part.functionResponse !== undefined),
    lastUserText: lastUser === undefined ? '' : userText(lastUser.parts),
    tools: (request.tools ?? []).flatMap((tool) =>
      (tool.functionDeclarations ?? []).map((declaration) => ({
        name: declaration.name,
        parameters: declaration.parametersJsonSchema ?? declaration.parameters,
      })),
    ),
    toolChoice: toolChoiceOf(request),
    maxOutputTokens: request.generationConfig?.maxOutputTokens,
    reasoning: reasoningOf(model, request),
  };
}
