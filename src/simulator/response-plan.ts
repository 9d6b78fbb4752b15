import type { SimulatedAnswer } from './simulated-answer.ts';
import type { SimulationInput } from './simulation-input.ts';

/** A complete HTTP answer (errors, model lists). */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One piece of a streamed body, with what it means for pacing and fault placement. */
export interface StreamFrame {
  text: string;
  /** Output tokens this frame delivers; pacing waits for them to be "generated". */
  tokens: number;
  /** Carries generated content (text, reasoning or tool-call delta): faults count these. */
  content: boolean;
  /** Completes the response (finish reason, usage, terminator): faults fire before the first one. */
  final: boolean;
}

export interface StreamPlan {
  headers: Record<string, string>;
  /** Written right after the headers and repeated while waiting for the first token. */
  keepAlive: string | undefined;
  frames: StreamFrame[];
  /** The provider's mid-stream error event, given how many content frames were written. */
  errorFrame(contentFramesWritten: number): string;
  /** One event whose data is not valid JSON. */
  malformedFrame(contentFramesWritten: number): string;
}

export interface BodyPlan {
  headers: Record<string, string>;
  /** Written right after the headers and repeated while waiting (DeepSeek's blank lines). */
  keepAlive: string | undefined;
  body: string;
}

/** Values a renderer needs besides the answer. */
export interface RenderContext {
  /** Per-simulator request counter: ids are derived from it. */
  sequence: number;
  createdSeconds: number;
  tokensPerChunk: number;
}

/** A parsed request, ready to be answered in its own dialect. */
export interface SimulatedExchange {
  input: SimulationInput;
  stream: boolean;
  renderStream(answer: SimulatedAnswer, context: RenderContext): StreamPlan;
  renderBody(answer: SimulatedAnswer, context: RenderContext): BodyPlan;
}

export type ParseResult =
  | { ok: true; exchange: SimulatedExchange }
  | { ok: false; reply: HttpReply };

export interface ErrorReplyOptions {
  message?: string;
  retryAfterSeconds?: number;
  sequence: number;
}
