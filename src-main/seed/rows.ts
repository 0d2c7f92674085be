import type { RuleSet } from '../../src-shared/domain/rules';
import type { RowSink, SeedEnv } from './history';
import { IdMinter } from './identifiers';
import { LocalCalendar } from './local-time';
import { Rng } from './prng';

/** The tables the seed writes, in the order a chunk of rows is inserted (parents first). */
export const TABLES = ['member', 'name', 'card', 'sale', 'saleLine', 'refund', 'refundLine', 'entry', 'period'] as const;
export type Table = (typeof TABLES)[number];

/** A member's final purchase dates and balance: [seq, firstPurchaseAt, lastPurchaseDate, balance]. */
export type MemberDone = [number, string | null, string | null, number];

/** Rows of some whole members, grouped by table; inserting the tables in TABLES order keeps every foreign key satisfied. */
export interface RowChunk {
  rows: Record<Table, unknown[][]>;
  done: MemberDone[];
}

/** Everything needed to rebuild the same SeedEnv in another thread. */
export interface SeedParams {
  nowMs: number;
  terminalId: string;
  hlcNode: string;
  receiptTag: string;
  timeZone: string;
  cashierIds: string[];
  seed: number;
}

export function makeSeedEnv(p: SeedParams, rulesOn: (businessDate: string) => RuleSet): SeedEnv {
  return {
    nowMs: p.nowMs,
    terminalId: p.terminalId,
    hlcNode: p.hlcNode,
    receiptTag: p.receiptTag,
    cal: new LocalCalendar(p.timeZone),
    rulesOn,
    cashierIds: p.cashierIds,
    seed: p.seed,
    // Minted "an hour ago" in insertion order; 4096 per millisecond leaves ample room before now.
    ids: new IdMinter(p.nowMs - 3_600_000, new Rng(p.seed, -1)),
    receiptSeq: { n: 0 },
  };
}

function emptyRows(): Record<Table, unknown[][]> {
  return { member: [], name: [], card: [], sale: [], saleLine: [], refund: [], refundLine: [], entry: [], period: [] };
}

/** A sink that collects rows into chunks of whole members. */
export class ChunkSink implements RowSink {
  private chunk: RowChunk = { rows: emptyRows(), done: [] };

  member = (row: unknown[]): void => void this.chunk.rows.member.push(row);
  name = (row: unknown[]): void => void this.chunk.rows.name.push(row);
  card = (row: unknown[]): void => void this.chunk.rows.card.push(row);
  sale = (row: unknown[]): void => void this.chunk.rows.sale.push(row);
  saleLine = (row: unknown[]): void => void this.chunk.rows.saleLine.push(row);
  refund = (row: unknown[]): void => void this.chunk.rows.refund.push(row);
  refundLine = (row: unknown[]): void => void this.chunk.rows.refundLine.push(row);
  entry = (row: unknown[]): void => void this.chunk.rows.entry.push(row);
  period = (row: unknown[]): void => void this.chunk.rows.period.push(row);

  constructor(
    private readonly membersPerChunk: number,
    private readonly onChunk: (chunk: RowChunk) => void,
  ) {}

  memberDone(seq: number, firstPurchaseAt: string | null, lastPurchaseDate: string | null, balance: number): void {
    this.chunk.done.push([seq, firstPurchaseAt, lastPurchaseDate, balance]);
    if (this.chunk.done.length >= this.membersPerChunk) this.flush();
  }

  flush(): void {
    if (this.chunk.done.length === 0 && this.chunk.rows.member.length === 0) return;
    const c = this.chunk;
    this.chunk = { rows: emptyRows(), done: [] };
    this.onChunk(c);
  }
}

/** Messages from the seed worker. */
export type WorkerMessage =
  | { t: 'batch'; from: number; to: number }
  /** A RowChunk as JSON: V8 parses JSON faster than it deserialises the same structured clone. */
  | { t: 'chunk'; json: string }
  | { t: 'batchEnd'; from: number; to: number }
  | { t: 'end'; receiptSeq: number }
  | { t: 'error'; message: string; stack?: string };

/** What the seed worker is given. */
export interface WorkerInput {
  params: SeedParams;
  /** Rule sets in force, and for every business date the seed may touch the index of its set. */
  ruleSets: RuleSet[];
  ruleIndexByDate: Record<string, number>;
  members: number;
  batchSize: number;
  membersPerChunk: number;
  /** Int32Array over a SharedArrayBuffer: [chunks posted, chunks written]; the worker waits when too far ahead. */
  control: SharedArrayBuffer;
  maxChunksAhead: number;
}
