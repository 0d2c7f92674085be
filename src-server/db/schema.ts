import type { ColumnType, Insertable, Selectable } from 'kysely';

/**
 * Kysely types of the server schema (migrations/server). `bigint` columns read back as numbers:
 * the PostgreSQL pool parses int8 to Number (feed sequences stay far below 2^53).
 */
type Big = ColumnType<number, number | bigint, number | bigint>;

export interface StoreTable {
  id: string;
  name: string;
  time_zone: string;
  created_at: string;
}

export interface TerminalTable {
  id: string;
  store_id: string;
  name: string | null;
  token_hash: string;
  enrolment_code_hash: string;
  status: 'active' | 'revoked';
  app_version: string | null;
  last_acked_seq: ColumnType<number, number | undefined, number>;
  last_seen_at: string | null;
  clock_offset_ms: ColumnType<number | null, number | bigint | null, number | bigint | null>;
  enrolled_at: string;
  revoked_at: string | null;
  /** The first seq of the terminal's latest push: it deleted every op below, so it never resends them. */
  resend_floor: ColumnType<number, number | undefined, number>;
  /** The cursor of its latest pull (for operators: who a feed compaction sends back to a snapshot). */
  last_pull_cursor: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EnrolmentCodeTable {
  code_hash: string;
  store_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

export interface FeedClockTable {
  id: number;
  next_seq: Big;
  /** Feed rows at or below this seq are deleted (or being deleted): older cursors must load a snapshot. */
  compacted_through: ColumnType<number, number | bigint | undefined, number | bigint>;
}

export interface ChangeFeedTable {
  server_seq: Big;
  kind: string;
  entity_id: string;
  origin_terminal: string | null;
  /** Set on changes only the terminals of one store receive (staff); null for everyone. */
  store_id: string | null;
  payload: string;
  created_at: string;
}

export interface PushResultTable {
  terminal_id: string;
  seq: Big;
  op_id: string;
  status: 'applied' | 'duplicate' | 'rejected' | 'held';
  reason: string | null;
  created_at: string;
}

export interface HeldOpTable {
  terminal_id: string;
  seq: Big;
  op_id: string;
  kind: string;
  entity_id: string;
  hlc: string;
  payload: string;
  reason: string;
  app_version: string | null;
  received_at: string;
}

export type MemberStatus = 'active' | 'blocked' | 'merged' | 'erased';

export interface MemberTable {
  id: string;
  phone: string | null;
  phone_last4: string | null;
  name: string | null;
  birthday: string | null;
  referrer_id: string | null;
  consent_terms_at: string | null;
  consent_marketing: number;
  status: MemberStatus;
  status_reason: string | null;
  merged_into: string | null;
  diamond: number;
  registered_at: string;
  registered_terminal: string;
  registered_store: string | null;
  balance: Big;
  received_at: string;
}

export interface MemberFieldClockTable {
  member_id: string;
  field: string;
  hlc: string;
  terminal_id: string;
}

export interface CardTable {
  code: string;
  member_id: string;
  kind: 'printed' | 'nfc';
  status: 'active' | 'inactive';
  status_reason: string | null;
  hlc: string;
  bound_hlc: string;
  terminal_id: string;
  updated_at: string;
}

export interface LedgerEntryTable {
  id: string;
  member_id: string;
  kind: 'earn' | 'bonus' | 'redeem' | 'expire' | 'reverse' | 'adjust';
  points: Big;
  reason: string | null;
  sale_id: string | null;
  refund_id: string | null;
  target_entry_id: string | null;
  expires_at: string | null;
  capped_points: Big;
  offline: number;
  business_date: string;
  created_at: string;
  hlc: string;
  terminal_id: string;
  staff_id: string | null;
  approved_by: string | null;
  rule_set_version: number;
  idempotency_key: string;
  store_id: string | null;
  received_at: string;
}

export interface MemberSpendTable {
  member_id: string;
  period: string;
  spend_minor: Big;
}

export interface SaleTable {
  id: string;
  terminal_id: string;
  store_id: string;
  member_id: string | null;
  receipt_no: string;
  business_date: string;
  paid_minor: Big;
  body: string;
  received_at: string;
}

export interface RefundTable {
  id: string;
  sale_id: string;
  terminal_id: string;
  store_id: string;
  refund_minor: Big;
  body: string;
  received_at: string;
}

export interface AuditEntryTable {
  id: string;
  terminal_id: string;
  store_id: string;
  action: string;
  hash: string;
  prev_hash: string;
  body: string;
  received_at: string;
}

/** A till's cash drawer event (protocol version 3). */
export interface DrawerEventTable {
  id: string;
  terminal_id: string;
  store_id: string;
  session_id: string;
  kind: string;
  amount_minor: number;
  business_date: string;
  at: string;
  body: string;
  received_at: string;
}

/** A till's Z report (protocol version 3). */
export interface ZReportTable {
  id: string;
  terminal_id: string;
  store_id: string;
  z_no: number;
  business_date: string;
  hash: string;
  prev_hash: string;
  body: string;
  received_at: string;
}

export interface StaffTable {
  id: string;
  store_id: string;
  terminal_id: string;
  name: string;
  role: 'cashier' | 'manager';
  active: number;
  /** scrypt hash of the PIN; null for staff a version-1 terminal sent (never sent to other tills). */
  pin_hash: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: string;
}

export interface StaffFieldClockTable {
  staff_id: string;
  field: string;
  hlc: string;
  terminal_id: string;
}

export interface RateBucketTable {
  key: string;
  tokens: number;
  at: Big;
  last_ok: number;
}

export interface RuleSetTable {
  version: number;
  effective_from: string;
  body: string;
  created_at: string;
}

export interface RedemptionHoldTable {
  id: string;
  member_id: string;
  terminal_id: string;
  points: Big;
  receipt_ref: string;
  status: 'open' | 'consumed' | 'released' | 'expired';
  created_at: string;
  expires_at: string;
  closed_at: string | null;
  consumed_entry_id: string | null;
}

export interface OverdraftExceptionTable {
  id: string;
  member_id: string;
  entry_id: string;
  terminal_id: string;
  store_id: string | null;
  shortfall: Big;
  exposure_minor: Big;
  created_at: string;
}

export interface ServerDatabase {
  store: StoreTable;
  terminal: TerminalTable;
  enrolment_code: EnrolmentCodeTable;
  feed_clock: FeedClockTable;
  change_feed: ChangeFeedTable;
  push_result: PushResultTable;
  held_op: HeldOpTable;
  member: MemberTable;
  member_field_clock: MemberFieldClockTable;
  card: CardTable;
  ledger_entry: LedgerEntryTable;
  member_spend: MemberSpendTable;
  sale: SaleTable;
  refund: RefundTable;
  audit_entry: AuditEntryTable;
  drawer_event: DrawerEventTable;
  z_report: ZReportTable;
  staff: StaffTable;
  staff_field_clock: StaffFieldClockTable;
  rate_bucket: RateBucketTable;
  rule_set: RuleSetTable;
  redemption_hold: RedemptionHoldTable;
  overdraft_exception: OverdraftExceptionTable;
}

export type MemberRow = Selectable<MemberTable>;
export type LedgerRow = Selectable<LedgerEntryTable>;
export type NewLedgerRow = Insertable<LedgerEntryTable>;
export type TerminalRow = Selectable<TerminalTable>;
export type CardRow = Selectable<CardTable>;
export type StaffRow = Selectable<StaffTable>;

/** Every table, for tests that reset the database between cases. */
export const SERVER_TABLES = [
  'z_report', 'drawer_event', 'rate_bucket', 'staff_field_clock', 'overdraft_exception', 'redemption_hold', 'rule_set', 'staff', 'audit_entry', 'refund', 'sale', 'member_spend',
  'ledger_entry', 'card', 'member_field_clock', 'member', 'held_op', 'push_result', 'change_feed', 'feed_clock',
  'enrolment_code', 'terminal', 'store',
] as const satisfies readonly (keyof ServerDatabase)[];
