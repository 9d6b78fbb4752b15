import { useErrorText } from '../i18n/use-error-text.ts';

/** An error in the user's language, announced to screen readers. Renders nothing for no error. */
export function ErrorBanner({ error }: { error: unknown }) {
  const errorText = useErrorText();
  if (error === null || error === undefined) return null;
  return (
    <p className="banner banner-error" role="alert">
      {errorText(error)}
    </p>
  );
}
