import { Fragment } from 'react';

/**
 * Account names and emails (`console:kim@example.com`) with line-break chances after `:` and before
 * `@`, so a narrow column wraps them there instead of in the middle of a word.
 */
export function BreakableText({ text }: { text: string }) {
  const parts = text.split(/(?<=:)|(?=@)/);
  return (
    <>
      {parts.map((part, index) => (
        // Parts of one fixed string: their positions are their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders.
        <Fragment key={index}>
          {index === 0 ? null : <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
