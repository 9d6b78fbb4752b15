import type { Translate } from '../../i18n/define-messages.ts';
import type { requestsMessages } from '../../i18n/messages/requests-messages.ts';

type RequestsTranslate = Translate<keyof typeof requestsMessages.en>;

/** A request's or attempt's end (`ok`, `error`, `client_closed`) in words; unknown ones as sent. */
export function statusText(t: RequestsTranslate, status: string | null): string {
  if (status === 'ok') return t('statusOk');
  if (status === 'error') return t('statusError');
  if (status === 'client_closed') return t('statusClientClosed');
  return status ?? '—';
}

export function outcomeText(t: RequestsTranslate, outcome: string | null): string {
  if (outcome === 'ok') return t('outcomeOk');
  if (outcome === 'error') return t('outcomeError');
  if (outcome === 'client_closed') return t('outcomeClientClosed');
  return outcome ?? '—';
}

/** The CSS class that colours an end: green answered, red failed, neutral otherwise. */
export function statusClass(status: string | null): string {
  if (status === 'ok') return 'status-ok';
  if (status === 'error') return 'status-error';
  return 'muted';
}

/** A key as the filter and the detail show it: `laptop (sk-shep-AbCd…wxyz)`. */
export function keyText(key: { name: string; key: string }): string {
  return `${key.name} (${key.key})`;
}
