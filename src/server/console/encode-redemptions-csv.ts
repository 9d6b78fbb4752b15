import { csvTextCell } from '../../util/csv-cell.ts';

/** A voucher's redemption state, as `encodeVoucher` (admin views) shapes it. */
export interface VoucherState {
  id: string;
  lastFour: string;
  state: string;
  redeemedAt: string | null;
  redeemedBy: string | null;
}

/** RFC 4180 (CRLF, one header row): a batch's vouchers and who redeemed them when. No codes. */
export function encodeRedemptionsCsv(vouchers: readonly VoucherState[]): string {
  const lines = [
    'voucher_id,code_last_four,state,redeemed_at,redeemed_by_account',
    ...vouchers.map((voucher) =>
      [voucher.id, voucher.lastFour, voucher.state, voucher.redeemedAt, voucher.redeemedBy]
        .map(csvTextCell)
        .join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
