import type { BreakerState } from '../../api/admin-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { adminUpstreamsMessages } from '../../i18n/messages/admin-upstreams-messages.ts';
import { type BadgeTone, StatusBadge } from './status-badge.tsx';

const BADGES: Record<
  BreakerState,
  { tone: BadgeTone; label: 'stateClosed' | 'stateOpen' | 'stateHalfOpen' | 'stateDisabled' }
> = {
  closed: { tone: 'good', label: 'stateClosed' },
  open: { tone: 'bad', label: 'stateOpen' },
  half_open: { tone: 'warn', label: 'stateHalfOpen' },
  disabled: { tone: 'neutral', label: 'stateDisabled' },
};

/** A deployment's circuit state, coloured: green flows, red is skipped, amber is being probed. */
export function UpstreamStateBadge({ state }: { state: BreakerState }) {
  const t = useMessages(adminUpstreamsMessages);
  const badge = BADGES[state];
  return (
    <span data-state={state}>
      <StatusBadge tone={badge.tone}>{t(badge.label)}</StatusBadge>
    </span>
  );
}
