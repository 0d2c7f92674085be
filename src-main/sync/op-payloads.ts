import type { SyncOp } from '../../src-shared/sync/protocol';
import type { Executor } from '../core/context';
import type { TerminalDatabase } from '../db/schema';
import { findSale, saleDto } from '../ledger/sales.repo';
import type { Selectable } from 'kysely';

type OutboxRow = Selectable<TerminalDatabase['outbox']>;

/**
 * The ops of outbox rows, as the server receives them. A row with a payload carries its op; a sale
 * or a ledger entry (payload NULL) is built from its own row, which never changes: the entry's
 * columns, or the sale as answered at checkout (its stored answer, nothing refunded yet) with the
 * till and the idempotency key.
 */
export async function outboxOps(ex: Executor, rows: readonly OutboxRow[]): Promise<SyncOp[]> {
  const entryIds = rows.filter((r) => r.payload === null && r.kind === 'ledger_entry').map((r) => r.entity_id);
  const entries = new Map<string, unknown>();
  // In slices: SQLite binds at most 32,766 parameters per statement.
  for (let i = 0; i < entryIds.length; i += 500) {
    const slice = entryIds.slice(i, i + 500);
    for (const e of await ex.selectFrom('ledger_entry').selectAll().where('id', 'in', slice).execute()) entries.set(e.id, e);
  }
  const ops: SyncOp[] = [];
  for (const r of rows) {
    ops.push({ seq: r.seq, opId: r.op_id, kind: r.kind, entityId: r.entity_id, hlc: r.hlc, payload: await payloadOf(ex, r, entries) });
  }
  return ops;
}

async function payloadOf(ex: Executor, r: OutboxRow, entries: Map<string, unknown>): Promise<unknown> {
  if (r.payload !== null) return JSON.parse(r.payload) as unknown;
  if (r.kind === 'ledger_entry') {
    const entry = entries.get(r.entity_id);
    if (entry === undefined) throw new Error(`outbox #${r.seq}: ledger entry ${r.entity_id} is missing`);
    return entry;
  }
  if (r.kind === 'sale') {
    const sale = await findSale(ex, { saleId: r.entity_id });
    const dto = await saleDto(ex, sale);
    return { ...dto, lines: dto.lines.map((l) => ({ ...l, refundedQuantity: 0 })), terminalId: sale.terminal_id, idempotencyKey: sale.idempotency_key };
  }
  throw new Error(`outbox #${r.seq}: a ${r.kind} change without its payload`);
}
