import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import {
  explainRedeemFailure,
  type RedeemVoucherResult,
  redeemVoucher,
} from '../../accounting/redeem-voucher.ts';
import type { ErrorCode } from '../../errors/error-catalog.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { encodeBalance } from '../admin/encode-admin-views.ts';
import { parseAdminInput } from '../admin/parse-admin-input.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import { buildCreditHistory } from './build-credit-history.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';

const DAY_MS = 86_400_000;

const historyQuerySchema = z.strictObject({
  /** Days of usage charges, counting today (UTC). */
  days: z.coerce.number().int().min(1).max(366).default(31),
  /** Credits (top-ups, vouchers, adjustments, …) at most. */
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const redeemSchema = z.strictObject({ code: z.string().max(200) });

/** One code per refusal, so the console can say it in the user's language. */
const REDEEM_FAILURE_CODES: Record<
  Exclude<RedeemVoucherResult['status'], 'redeemed'>,
  ErrorCode
> = {
  malformed: 'GW_ERR_VOUCHER_MALFORMED',
  not_found: 'GW_ERR_VOUCHER_NOT_FOUND',
  already_redeemed: 'GW_ERR_VOUCHER_ALREADY_REDEEMED',
  expired: 'GW_ERR_VOUCHER_EXPIRED',
};

/** `GET /credits` (balance and history) and `POST /vouchers/redeem`. */
export function registerConsoleCreditRoutes(scope: FastifyInstance, context: ConsoleRouteContext) {
  const { store, currency } = context;

  scope.get('/credits', async (request, reply) => {
    const { accountId } = readConsoleAuth(request).user;
    const query = parseAdminInput(historyQuerySchema, request.query, 'query');
    const now = context.now();
    const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const [balance, credits, usageDays] = await Promise.all([
      store.getBalance(accountId),
      store.listNonUsageLedgerEntries({ accountId, limit: query.limit }),
      store.listDailyUsageCharges({
        accountId,
        from: new Date(startOfToday - (query.days - 1) * DAY_MS),
        to: new Date(startOfToday + DAY_MS),
      }),
    ]);
    void reply.header('cache-control', 'no-store');
    return {
      accountId,
      balance: encodeBalance(balance, currency),
      history: buildCreditHistory(credits, usageDays),
    };
  });

  scope.post('/vouchers/redeem', async (request) => {
    const { accountId } = readConsoleAuth(request).user;
    const body = parseAdminInput(redeemSchema, request.body, 'body');
    const result = await redeemVoucher({
      store,
      pepper: context.pepper,
      code: body.code,
      accountId,
      now: context.now(),
    });
    if (result.status !== 'redeemed') {
      throw new GatewayError(
        REDEEM_FAILURE_CODES[result.status],
        explainRedeemFailure(result.status),
        { param: 'code' },
      );
    }
    request.log.info({ console: { action: 'voucher.redeem', account: accountId } }, 'redeemed');
    return {
      currency,
      amount: microsToDecimalText(result.amountMicros),
      amountMicros: result.amountMicros.toString(),
      balance: encodeBalance(result.balance, currency),
    };
  });
}
