import { sql } from 'kysely';
import { preparedQuery } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Trx } from '../core/context';

const nextSeqQuery = preparedQuery<TerminalDatabase, Record<string, never>, { value: string }>((db) =>
  db
    .insertInto('meta')
    .values({ key: 'receipt_seq', value: '1' })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` }))
    .returning('value'),
);

/**
 * Human receipt numbers, unique per terminal and readable on paper: R20261122-A1B2-000123
 * (business date, last four hex of the terminal id, a per-terminal counter kept in the same
 * transaction as the sale, so a rolled-back sale leaves no gap).
 */
export async function nextReceiptNo(trx: Trx, ctx: CoreContext, businessDate: string): Promise<string> {
  const row = (await nextSeqQuery(trx, {})).rows[0]!;
  const term = ctx.terminalId.replace(/-/g, '').slice(-4).toUpperCase();
  return `R${businessDate.replace(/-/g, '')}-${term}-${row.value.padStart(6, '0')}`;
}
