import { GatewayError } from '../errors/gateway-error.ts';

/**
 * The error for a conversation with no turn left once empty text is left out (say, its only user
 * message is `""`): Anthropic and Gemini refuse an empty `messages` / `contents`, so it is
 * refused here with the client's parameter named instead of failing upstream.
 */
export function emptyConversationError(): GatewayError {
  return new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    'No message has content: every user, assistant and tool message is empty. Send at least one message with content.',
    { param: 'messages' },
  );
}
