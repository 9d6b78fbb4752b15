import { useCallback } from 'react';
import { ConsoleApiError } from '../api/console-api-error.ts';
import { useMessages } from './locale-context.tsx';
import { errorMessages } from './messages/error-messages.ts';

type ErrorKey = keyof typeof errorMessages.en;

function isErrorKey(code: string): code is ErrorKey {
  return Object.hasOwn(errorMessages.en, code);
}

/** Turns any thrown value into a sentence in the user's language (by the API's error `code`). */
export function useErrorText(): (error: unknown) => string {
  const t = useMessages(errorMessages);
  return useCallback(
    (error: unknown) => {
      if (error instanceof ConsoleApiError) {
        if (error.code === 'login_rate_limited') {
          return t('login_rate_limited', { seconds: error.retryAfterSeconds ?? 60 });
        }
        if (isErrorKey(error.code)) return t(error.code, { detail: error.message });
        return t('unknown', { code: error.code, detail: error.message });
      }
      const detail = error instanceof Error ? error.message : String(error);
      return t('unknown', { code: 'client', detail });
    },
    [t],
  );
}
