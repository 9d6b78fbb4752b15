import type { BodyPlan, RenderContext } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import { simulatedSignature } from '../simulated-id.ts';
import type { ReasoningMode } from '../simulation-input.ts';
import {
  geminiFinishReason,
  geminiResponseId,
  geminiUsageMetadata,
} from './gemini-usage-metadata.ts';

/**
 * A non-streaming GenerateContentResponse.
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
export function renderGeminiResponse(options: {
  model: string;
  reasoning: ReasoningMode;
  answer: SimulatedAnswer;
  context: RenderContext;
}): BodyPlan {
  const { answer, context } = options;
  const parts: Record<string, unknown>[] = [];
  if (options.reasoning === 'visible' && answer.reasoningTokens.length > 0) {
    parts.push({ text: answer.reasoningTokens.join(''), thought: true });
  }
  const toolCall = answer.toolCall;
  if (toolCall === undefined) {
    parts.push({ text: answer.textTokens.join('') });
  } else {
    parts.push({
      functionCall: { name: toolCall.name, args: toolCall.arguments },
      thoughtSignature: simulatedSignature(context.sequence, toolCall.argumentsJson),
    });
  }
  const candidates = toolCall?.tokens ?? answer.textTokens.length;
  const body = {
    candidates: [
      {
        content: { parts, role: 'model' },
        finishReason: geminiFinishReason(answer.finish),
        index: 0,
      },
    ],
    usageMetadata: geminiUsageMetadata(answer.usage, {
      candidates,
      thoughts: answer.reasoningTokens.length,
    }),
    modelVersion: options.model,
    responseId: geminiResponseId(context.sequence),
  };
  return {
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'x-shepherd-simulator': 'gemini',
    },
    keepAlive: undefined,
    body: JSON.stringify(body),
  };
}
