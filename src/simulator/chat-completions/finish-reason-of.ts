import type { SimulatedFinish } from '../simulated-answer.ts';

/** @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices */
export function finishReasonOf(finish: SimulatedFinish): 'stop' | 'length' | 'tool_calls' {
  if (finish === 'tool_call') return 'tool_calls';
  return finish;
}
