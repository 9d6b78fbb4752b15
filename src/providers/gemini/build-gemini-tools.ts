import type { ChatRequest, ToolChoice } from '../../canonical/chat-request.ts';
import type {
  GeminiFunctionCallingConfig,
  GeminiFunctionDeclaration,
  GeminiRequestBody,
} from './gemini-request-body.ts';

/**
 * Maps `tools` and `tool_choice`. Parameters go in `parametersJsonSchema`, which accepts JSON
 * Schema as the client wrote it; the older `parameters` field takes an OpenAPI subset and would
 * need keywords (`additionalProperties`, `$ref`, `const`, ...) stripped, silently changing the
 * contract. An empty schema is left out, which is how Gemini declares a function without
 * parameters. `strict` has no Gemini field: the schema is sent whole either way.
 *
 * @see https://ai.google.dev/api/caching#FunctionDeclaration
 * @see https://ai.google.dev/api/caching#FunctionCallingConfig
 */
export function buildGeminiTools(
  request: ChatRequest,
): Pick<GeminiRequestBody, 'tools' | 'toolConfig'> {
  const result: Pick<GeminiRequestBody, 'tools' | 'toolConfig'> = {};
  if (request.tools !== undefined && request.tools.length > 0) {
    const functionDeclarations = request.tools.map((tool) => {
      const declaration: GeminiFunctionDeclaration = { name: tool.name };
      if (tool.description !== undefined) declaration.description = tool.description;
      if (Object.keys(tool.parameters).length > 0)
        declaration.parametersJsonSchema = tool.parameters;
      return declaration;
    });
    result.tools = [{ functionDeclarations }];
  }
  if (request.toolChoice !== undefined) {
    result.toolConfig = { functionCallingConfig: functionCallingConfig(request.toolChoice) };
  }
  return result;
}

function functionCallingConfig(choice: ToolChoice): GeminiFunctionCallingConfig {
  switch (choice) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    default:
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}
