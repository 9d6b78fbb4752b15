import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import { explainRedeemFailure, redeemVoucher } from '../../accounting/redeem-voucher.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Store } from '../../storage/store.ts';

export interface RedeemVoucherRouteDependencies {
  store: Pick<Store, 'redeemVoucher'>;
  /** The API key pepper, under which voucher codes are stored as digests. */
  pepper: string;
  now: () => Date;
  currency: string;
}

const bodySchema = z.strictObject({ code: z.string().max(200) });

/**
 * `POST /v1/vouchers/redeem {"code": "SHEP-…"}`: credits the voucher to the caller's own account
 * (the authenticated key's). Registered inside the /v1 scope, after its authentication hook.
 */
export function registerRedeemVoucherRoute(
  app: FastifyInstance,
  dependencies: RedeemVoucherRouteDependencies,
) {
  app.post('/vouchers/redeem', async (request) => {
    const identity = request.identity;
    if (identity === undefined) {
      throw new GatewayError('GW_ERR_INVALID_API_KEY', 'Redeeming a voucher needs an API key.');
    }
    const parsed = bodySchema.safeParse(request.body);
    if (!parsed.success) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        'Send a JSON object with one field, `code`: {"code": "SHEP-XXXX-XXXX-XXXX-XXXX"}.',
        { param: 'code' },
      );
    }
    const result = await redeemVoucher({
      store: dependencies.store,
      pepper: dependencies.pepper,
      code: parsed.data.code,
      accountId: identity.accountId,
      now: dependencies.now(),
    });
    if (result.status !== 'redeemed') {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', explainRedeemFailure(result.status), {
        param: 'code',
      });
    }
    const { balance } = result;
    return {
      object: 'voucher.redemption',
      currency: dependencies.currency,
      amount: microsToDecimalText(result.amountMicros),
      amount_micros: result.amountMicros.toString(),
      balance: {
        posted: microsToDecimalText(balance.postedMicros),
        posted_micros: balance.postedMicros.toString(),
        held: microsToDecimalText(balance.heldMicros),
        held_micros: balance.heldMicros.toString(),
        available: microsToDecimalText(balance.availableMicros),
        available_micros: balance.availableMicros.toString(),
      },
    };
  });
}
