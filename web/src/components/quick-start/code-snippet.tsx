import { useMessages } from '../../i18n/locale-context.tsx';
import { quickStartMessages } from '../../i18n/messages/quick-start-messages.ts';
import type { Snippet } from '../../pages/build-quick-start-snippets.ts';
import { CopyButton } from '../copy-button.tsx';

/** Languages go by their own names, untranslated. */
export const LANGUAGE_NAMES: Record<Snippet['language'], string> = {
  python: 'Python',
  node: 'Node.js',
  curl: 'curl',
};

/** One snippet: its title, a copy button and the code exactly as it should be pasted. */
export function CodeSnippet({ snippet }: { snippet: Snippet }) {
  const t = useMessages(quickStartMessages);
  const title = t(snippet.streaming ? 'streamTitle' : 'plainTitle');
  return (
    <figure className="code-snippet">
      <figcaption>
        <span>{title}</span>
        <CopyButton
          text={snippet.code}
          label={t('copySnippet', { language: LANGUAGE_NAMES[snippet.language], title })}
        />
      </figcaption>
      <pre data-testid={`snippet-${snippet.id}`}>
        <code>{snippet.code}</code>
      </pre>
    </figure>
  );
}
