import { useState } from 'react';
import { useMessages } from '../i18n/locale-context.tsx';
import { commonMessages } from '../i18n/messages/common-messages.ts';

/** Copies `text` to the clipboard; says "Copied" for two seconds. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useMessages(commonMessages);
  const [copied, setCopied] = useState(false);
  const onClick = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (plain http on another host): select-and-copy still works.
      return;
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" className="button-secondary" onClick={onClick} aria-label={label}>
      {copied ? t('copied') : t('copy')}
    </button>
  );
}
