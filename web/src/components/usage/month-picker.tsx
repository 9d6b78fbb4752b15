import { useId } from 'react';
import { useMessages } from '../../i18n/locale-context.tsx';
import { usageMessages } from '../../i18n/messages/usage-messages.ts';
import { currentUtcMonth, isReportMonth } from './report-month.ts';

/** A labelled `<input type="month">`; reports only whole, valid months (a cleared field is not). */
export function MonthPicker({ month, onChange }: { month: string; onChange(month: string): void }) {
  const t = useMessages(usageMessages);
  const id = useId();
  // Beside, not around: a label around the field would add the field's value to its name.
  return (
    <div className="filter-field">
      <label htmlFor={id}>{t('month')}</label>
      <input
        id={id}
        type="month"
        value={month}
        min="1970-01"
        max={currentUtcMonth()}
        onChange={(event) => {
          if (isReportMonth(event.target.value)) onChange(event.target.value);
        }}
      />
    </div>
  );
}
