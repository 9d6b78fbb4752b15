import { Fragment, type ReactNode } from 'react';

/**
 * Text whose `backticked` parts are code (header names, parameters, commands), so translators
 * mark them in the sentence and the page sets them in monospace.
 */
export function withCodeSpans(text: string): ReactNode {
  return text.split('`').map((part, index) =>
    // Odd parts sat between two backticks.
    index % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence never move.
      <code key={index}>{part}</code>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: as above.
      <Fragment key={index}>{part}</Fragment>
    ),
  );
}
