import { useEffect, useRef } from 'react';
import type { CreatedKey } from '../../api/keys-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { CopyButton } from '../copy-button.tsx';

/**
 * The full secret of a key just created. Only this component ever holds it: the API stores a digest,
 * so once dismissed (or the page reloaded) it is gone for good.
 */
export function ShownOnceKey({ created, onDismiss }: { created: CreatedKey; onDismiss(): void }) {
  const t = useMessages(keysMessages);
  const heading = useRef<HTMLHeadingElement>(null);
  // The box appears above the form the user just sent: move focus (and the view) to it.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="shown-once-key" aria-labelledby="shown-once-key-title">
      <h2 id="shown-once-key-title" ref={heading} tabIndex={-1}>
        {t('newKeyTitle', { name: created.apiKey.name })}
      </h2>
      <p className="shown-once-notice" role="note">
        {t('newKeyNotice')}
      </p>
      <div className="shown-once-value">
        <code data-testid="new-key">{created.key}</code>
        <CopyButton text={created.key} label={t('copyKey')} />
      </div>
      <div>
        <button type="button" className="button-secondary" onClick={onDismiss}>
          {t('dismissKey')}
        </button>
      </div>
    </section>
  );
}
