import { sql } from 'kysely';
import { preparedQuery } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Trx } from '../core/context';

// The sale inserted last has the highest rowid (sales are never deleted): one step down the table's b-tree.
const lastReceiptQuery = preparedQuery<TerminalDatabase, Record<string, never>, { receipt_no: string }>((db) =>
  db.selectFrom('sale').select('receipt_no').orderBy(sql`rowid`, 'desc').limit(1),
);

/**
 * Human receipt numbers, unique per terminal and readable on paper: R20261122-A1B2-000123
 * (business date, last four hex of the terminal id, a per-terminal counter). The counter follows
 * the last sale's, read in the sale's own transaction, so a rolled-back sale leaves no gap and no
 * counter row is written; `receipt_no` is unique, so a number can never be given twice.
 */
export async function nextReceiptNo(trx: Trx, ctx: CoreContext, businessDate: string): Promise<string> {
  const last = (await lastReceiptQuery(trx, {})).rows[0]?.receipt_no;
  const counter = last === undefined ? 1 : receiptCounter(last) + 1;
  const term = ctx.terminalId.replace(/-/g, '').slice(-4).toUpperCase();
  return `R${businessDate.replace(/-/g, '')}-${term}-${String(counter).padStart(6, '0')}`;
}

/** The counter at the end of a receipt number (0 for a number not in this form). */
export function receiptCounter(receiptNo: string): number {
  const n = Number(receiptNo.slice(receiptNo.lastIndexOf('-') + 1));
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** The business date a receipt number starts with (R20261122-... is 2026-11-22), or null for another form. */
export function receiptBusinessDate(receiptNo: string): string | null {
  const m = /^R(\d{4})(\d{2})(\d{2})-/.exec(receiptNo);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
