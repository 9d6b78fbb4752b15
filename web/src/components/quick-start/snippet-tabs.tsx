import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { useMessages } from '../../i18n/locale-context.tsx';
import { quickStartMessages } from '../../i18n/messages/quick-start-messages.ts';
import type { Snippet, SnippetLanguage } from '../../pages/build-quick-start-snippets.ts';
import { CodeSnippet, LANGUAGE_NAMES } from './code-snippet.tsx';
import { withCodeSpans } from './with-code-spans.tsx';

type MessageKey = keyof typeof quickStartMessages.en;

const LANGUAGES: ReadonlyArray<{
  language: SnippetLanguage;
  install: MessageKey;
  command?: string;
}> = [
  { language: 'python', install: 'pythonInstall', command: 'pip install openai' },
  { language: 'node', install: 'nodeInstall', command: 'npm install openai' },
  { language: 'curl', install: 'curlInstall' },
];

/**
 * One tab per language (WAI-ARIA tabs: arrow keys move between them). Every panel stays in the
 * page, hidden but for the chosen one, so a search in the page still finds all the code.
 */
export function SnippetTabs({ snippets }: { snippets: readonly Snippet[] }) {
  const t = useMessages(quickStartMessages);
  const id = useId();
  const [active, setActive] = useState<SnippetLanguage>('python');
  const tabs = useRef(new Map<SnippetLanguage, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = LANGUAGES.findIndex((entry) => entry.language === active);
    const next = LANGUAGES[(index + step + LANGUAGES.length) % LANGUAGES.length];
    if (next === undefined) return;
    setActive(next.language);
    tabs.current.get(next.language)?.focus();
  };

  return (
    <section className="snippet-tabs" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('codeHeading')}</h2>
      <div
        className="tab-list"
        role="tablist"
        aria-labelledby={`${id}-heading`}
        onKeyDown={onKeyDown}
      >
        {LANGUAGES.map(({ language }) => (
          <button
            key={language}
            ref={(element) => {
              if (element === null) tabs.current.delete(language);
              else tabs.current.set(language, element);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${language}`}
            aria-selected={active === language}
            aria-controls={`${id}-panel-${language}`}
            tabIndex={active === language ? 0 : -1}
            className="tab"
            onClick={() => setActive(language)}
          >
            {LANGUAGE_NAMES[language]}
          </button>
        ))}
      </div>
      {LANGUAGES.map(({ language, install, command }) => (
        <div
          key={language}
          role="tabpanel"
          id={`${id}-panel-${language}`}
          aria-labelledby={`${id}-tab-${language}`}
          hidden={active !== language}
          className="tab-panel"
        >
          <p className="hint">
            {withCodeSpans(t(install))}
            {command === undefined ? null : (
              <>
                {' '}
                <code className="inline-command">{command}</code>
              </>
            )}
          </p>
          {snippets
            .filter((snippet) => snippet.language === language)
            .map((snippet) => (
              <CodeSnippet key={snippet.id} snippet={snippet} />
            ))}
          <p className="hint">{withCodeSpans(t('streamHint'))}</p>
        </div>
      ))}
    </section>
  );
}
