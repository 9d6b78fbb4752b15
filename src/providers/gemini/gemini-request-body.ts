/**
 * The subset of the Gemini `GenerateContentRequest` the gateway builds. Field names are the REST
 * API's (camelCase JSON), which differ from the @google/genai SDK's config layout.
 *
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiTextPart[] };
  tools?: [{ functionDeclarations: GeminiFunctionDeclaration[] }];
  toolConfig?: { functionCallingConfig: GeminiFunctionCallingConfig };
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiTextPart {
  text: string;
  thoughtSignature?: string;
}

export interface GeminiInlineDataPart {
  inlineData: { mimeType: string; data: string };
}

export interface GeminiFileDataPart {
  fileData: { mimeType: string; fileUri: string };
}

export interface GeminiFunctionCallPart {
  functionCall: { name: string; args: Record<string, unknown> };
  thoughtSignature?: string;
}

export interface GeminiFunctionResponsePart {
  functionResponse: { name: string; response: Record<string, unknown> };
}

export type GeminiPart =
  | GeminiTextPart
  | GeminiInlineDataPart
  | GeminiFileDataPart
  | GeminiFunctionCallPart
  | GeminiFunctionResponsePart;

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parametersJsonSchema?: Record<string, unknown>;
}

export interface GeminiFunctionCallingConfig {
  mode: 'AUTO' | 'NONE' | 'ANY';
  allowedFunctionNames?: string[];
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: { thinkingBudget: number; includeThoughts?: boolean };
}
