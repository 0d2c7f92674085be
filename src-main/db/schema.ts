import type { Generated } from 'kysely';
import type { EntryKind } from '../../src-shared/domain/types';

/** Kysely's view of the terminal database (migrations/terminal). Columns are snake_case as stored. */
export interface TerminalDatabase {
  meta: { key: string; value: string };
  /** Answers remembered by idempotency key, per kind of operation (`scope`). */
  idempotency: { scope: string; key: string; request_hash: string | null; result: string };
  rule_set: { version: number; effective_from: string; body: string; received_at: string };
  staff: {
    id: string;
    name: string;
    role: 'cashier' | 'manager';
    pin_hash: string;
    active: number;
    failed_attempts: Generated<number>;
    locked_until: string | null;
    created_at: string;
  };
  member: {
    seq: Generated<number>;
    id: string;
    phone: string | null;
    phone_last4: string | null;
    name: string | null;
    birthday: string | null;
    referrer_id: string | null;
    consent_terms_at: string | null;
    consent_marketing: number;
    status: 'active' | 'blocked' | 'merged' | 'erased';
    status_reason: string | null;
    merged_into: string | null;
    diamond: Generated<number>;
    registered_at: string;
    registered_terminal: string;
    first_purchase_at: string | null;
    last_purchase_date: string | null;
    balance: Generated<number>;
    /** The member's spend window (src-shared/domain/spend-window.ts): the month of spend_current, and the month before it. */
    spend_period: string | null;
    spend_current: Generated<number>;
    spend_previous: Generated<number>;
  };
  member_field_clock: { member_id: string; field: string; hlc: string; terminal_id: string };
  card: {
    code: string;
    /** A local handle for the card (the screens show masked numbers only); defaulted by SQLite when not given. */
    id: Generated<string>;
    member_id: string;
    kind: 'printed' | 'nfc';
    status: 'active' | 'inactive';
    status_reason: string | null;
    added_at: string;
    hlc: string;
  };
  sale: {
    id: string;
    idempotency_key: string;
    request_hash: string;
    receipt_no: string;
    member_id: string | null;
    staff_id: string;
    terminal_id: string;
    created_at: string;
    business_date: string;
    gross_minor: number;
    redeemed_points: number;
    redeemed_value_minor: number;
    paid_minor: number;
    earned_points: number;
    capped_points: number;
    tier: string | null;
    rule_set_version: number;
    offline: number;
    result: string;
    /** The settled tenders (JSON `SaleTenderLine[]`, src-shared/api/dto.ts); '[]' for sales made before tenders. */
    tenders: Generated<string>;
    rounding_minor: Generated<number>;
    /** The drawer session the sale's cash went into (null without cash). */
    drawer_session_id: string | null;
  };
  sale_line: {
    sale_id: string;
    line_no: number;
    sku: string | null;
    description: string | null;
    category: string;
    quantity: number;
    unit_price_minor: number;
    discount_minor: number;
    gross_minor: number;
    redeemed_points: number;
    redeemed_value_minor: number;
    paid_minor: number;
    earned_points: number;
    campaign_id: string | null;
  };
  refund: {
    id: string;
    idempotency_key: string;
    request_hash: string;
    sale_id: string;
    staff_id: string;
    terminal_id: string;
    created_at: string;
    business_date: string;
    refund_minor: number;
    reverse_earned_points: number;
    return_redeemed_points: number;
    result: string;
    /** The tenders paid back (JSON `SaleTenderLine[]`). */
    tenders: Generated<string>;
    approved_by: string | null;
    reason: string | null;
    drawer_session_id: string | null;
  };
  refund_line: {
    refund_id: string;
    line_no: number;
    quantity: number;
    refund_minor: number;
    reverse_earned_points: number;
    return_redeemed_points: number;
  };
  ledger_entry: {
    id: string;
    member_id: string;
    kind: EntryKind;
    points: number;
    reason: string | null;
    sale_id: string | null;
    refund_id: string | null;
    target_entry_id: string | null;
    expires_at: string | null;
    capped_points: number;
    offline: number;
    business_date: string;
    created_at: string;
    hlc: string;
    terminal_id: string;
    staff_id: string | null;
    approved_by: string | null;
    rule_set_version: number;
    idempotency_key: string;
  };
  outbox: {
    seq: Generated<number>;
    op_id: string;
    kind: string;
    entity_id: string;
    /** NULL for a sale or a ledger entry: the op is built from that row when sent (sync/op-payloads.ts). */
    payload: string | null;
    hlc: string;
    created_at: string;
    status: Generated<'pending' | 'held'>;
    attempts: Generated<number>;
    last_error: string | null;
  };
  print_job: {
    seq: Generated<number>;
    id: string;
    kind: 'receipt' | 'refund_receipt' | 'reprint' | 'test' | 'end_of_day';
    document: string;
    state: 'queued' | 'printing' | 'printed' | 'needs_check' | 'failed_permanently' | 'cancelled';
    attempts: Generated<number>;
    last_error: string | null;
    created_at: string;
    updated_at: string;
    printed_at: string | null;
    sale_id: string | null;
    refund_id: string | null;
    receipt_no: string | null;
    reprint_of: string | null;
    staff_id: string | null;
  };
  audit_log: {
    seq: Generated<number>;
    id: string;
    at: string;
    terminal_id: string;
    staff_id: string | null;
    approved_by: string | null;
    action: string;
    subject_type: string | null;
    subject_id: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
  remote_entry: {
    id: string;
    member_id: string;
    kind: EntryKind;
    points: number;
    reason: string | null;
    sale_id: string | null;
    target_entry_id: string | null;
    expires_at: string | null;
    offline: number;
    business_date: string;
    created_at: string;
    hlc: string;
    terminal_id: string;
    idempotency_key: string;
    server_seq: number;
  };
  sync_problem: { seq: number; op_id: string; kind: string; entity_id: string; status: string; reason: string | null; payload: string; at: string };
  overdraft_exception: { id: string; member_id: string; entry_id: string; terminal_id: string; shortfall: number; exposure_minor: number; created_at: string };
  /** Sync v2 (migration 0006): the HLC of each staff register (name, role, active, pin). */
  staff_field_clock: { staff_id: string; field: 'name' | 'role' | 'active' | 'pin'; hlc: string; terminal_id: string };
  /** Sync v2: the feed seq each snapshot page was read at, for member ids in (after, last]. */
  snapshot_range: { after: string; last: string | null; seq: number };
  /** Sync v2: links to members that had not arrived yet when a snapshot page named them. */
  snapshot_link: { member_id: string; col: 'referrer_id' | 'merged_into'; target: string };
  /** Redemptions the rules refused (migration 0005); never a balance change. */
  redemption_refusal: {
    id: string;
    at: string;
    business_date: string;
    terminal_id: string;
    staff_id: string | null;
    approver_id: string | null;
    member_id: string;
    channel: 'bill' | 'reward';
    points: number;
    reason: string;
    details: string;
    offline: number;
    idempotency_key: string;
  };
  /** Cash drawer sessions as immutable events (migration 0014); a session's id is its open event's. */
  drawer_event: {
    id: string;
    session_id: string;
    kind: 'open' | 'pay_in' | 'pay_out' | 'pickup' | 'no_sale' | 'close';
    amount_minor: number;
    /** JSON `{ [denominationMinor]: count }` of a counted float, pick-up or close. */
    counts: string | null;
    /** At close: the cash the till expected (shown only after the blind count). */
    expected_minor: number | null;
    reason: string | null;
    staff_id: string;
    approved_by: string | null;
    at: string;
    business_date: string;
    terminal_id: string;
  };
  /** Closed business days, numbered without gaps, chained by hash (migration 0014). */
  z_report: {
    z_no: number;
    id: string;
    business_date: string;
    closed_at: string;
    staff_id: string;
    report: string;
    grand_total_minor: number;
    prev_hash: string;
    hash: string;
  };
  /** Counters per business date, dimension and key, kept by triggers (migration 0014). */
  day_summary: {
    business_date: string;
    dim: 'total' | 'tender' | 'staff' | 'category' | 'points' | 'drawer';
    key: string;
    sale_count: number;
    sale_minor: number;
    refund_count: number;
    refund_minor: number;
    points: number;
  };
  /** Prices by barcode (migration 0008): the demo catalogue and the last price sold at this till. */
  product: { sku: string; description: string | null; category: string; unit_price_minor: number; updated_at: string };
}
