/**
 * `GET /api/orgs/{orgId}/integrations/xero/choices`: what the settings page's pickers offer, read from
 * the connected Xero organisation (one read each of Organisation, Accounts, TaxRates and Currencies, like
 * any admin action): active accounts marked by what they may be used for, active tax rates marked by
 * whether sales may use them, and the currencies. The same rules the settings checks apply.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { getConnection } from '../../../../db/queries/connections.ts';
import { createXeroReader } from '../../../../xero/reads.ts';
import { HttpError } from '../../../errors.ts';
import { orgIdOf } from '../../params.ts';
import { usableForPayments, usableOnLines, usableOnSales } from './code-checks.ts';
import type { IntegrationContext } from './context.ts';
import { throwAsXeroProblem } from './xero-problem.ts';

export const choicesAnswer = z.object({
  organisation: z.object({ name: z.string(), baseCurrency: z.string().nullable() }),
  accounts: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      type: z.string(),
      /** May be an invoice line's (revenue) account. */
      forLines: z.boolean(),
      /** May receive payments (bank account for receipts). */
      forPayments: z.boolean(),
    }),
  ),
  taxRates: z.array(z.object({ taxType: z.string(), name: z.string(), forSales: z.boolean() })),
  currencies: z.object({ base: z.string().nullable(), enabled: z.array(z.string()) }),
});
export type XeroChoices = z.output<typeof choicesAnswer>;

export function getChoices(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    if ((await getConnection(ctx.db, { orgId }))?.status !== 'connected') {
      throw new HttpError(409, 'not_connected', "Connect Xero first: the choices come from the Xero organisation's own chart of accounts and tax rates.");
    }
    const reader = createXeroReader({ client: ctx.xero.client, orgId });
    let answer: XeroChoices;
    try {
      // One after the other: Xero allows 5 calls in flight per organisation and its workflow may be using 4.
      const organisation = await reader.organisation();
      const accounts = await reader.accounts();
      const taxRates = await reader.taxRates();
      const currencies = await reader.currencies();
      const base = organisation.baseCurrency ?? null;
      answer = {
        organisation: { name: organisation.name, baseCurrency: base },
        accounts: accounts
          .filter((a) => a.status === 'ACTIVE')
          .map((a) => ({ code: a.code, name: a.name, type: a.type, forLines: usableOnLines(a), forPayments: usableForPayments(a) })),
        taxRates: taxRates.filter((t) => t.status === 'ACTIVE').map((t) => ({ taxType: t.taxType, name: t.name, forSales: usableOnSales(t) })),
        currencies: { base, enabled: [...new Set([base, ...currencies].filter((c): c is string => !!c))] },
      };
    } catch (err) {
      throwAsXeroProblem(err);
    }
    res.json(answer);
  };
}
