import type { ReactNode } from 'react';

/** How a badge is coloured: by meaning, so every admin table reads the same way. */
export type BadgeTone = 'good' | 'bad' | 'warn' | 'neutral';

/** A short coloured state word (account status, voucher state, circuit state). */
export function StatusBadge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`admin-badge admin-badge-${tone}`}>{children}</span>;
}
