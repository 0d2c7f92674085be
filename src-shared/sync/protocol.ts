import { z } from 'zod';
import { ruleSetSchema } from '../domain/rules';
import { ENTRY_KINDS } from '../domain/types';

/**
 * The terminal <-> central server sync protocol, version 2 (docs/sync-protocol.md).
 * Both sides validate with these schemas. JSON over HTTPS, `Authorization: Bearer <token>`.
 * Version 2 adds the snapshot bootstrap (`/v1/snapshot`), staff that travel between the tills of a
 * store (`staff` changes, PIN hashes on `staff` ops) and feed compaction (`CURSOR_EXPIRED`).
 */
export const SYNC_PROTOCOL_VERSION = 3;
/** Versions the server still speaks: a version-1 terminal keeps working (no snapshot, no staff changes). */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1, 2, 3];
/** Most ops per push and changes per pull page; requests above the size limit are refused. */
export const MAX_PUSH_OPS = 500;
export const MAX_PULL_LIMIT = 2000;
/** Most members per snapshot page. */
export const MAX_SNAPSHOT_LIMIT = 1000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** HLCs further ahead of the server clock than this are clamped (a terminal with a wrong clock). */
export const MAX_HLC_AHEAD_MS = 5 * 60_000;
/**
 * The terminal id the central server writes into the ledger entries it makes itself (merge
 * transfers, central expiry) and the node of its HLCs. Fixed, never a real terminal.
 */
export const SERVER_TERMINAL_ID = '00000000-0000-4000-8000-00000000c0de';
/** Open redemption holds lapse after this long unless a pushed redeem entry consumes them. */
export const HOLD_TTL_MS = 10 * 60_000;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a UUID');
const hlc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[0-9a-f]{16}$/, 'expected an HLC timestamp');
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'expected an ISO instant in UTC');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const int = z.number().int();

// ------------------------------------------------------------------ op payloads (outbox rows)

/** A ledger entry exactly as the terminal stored it (snake_case columns). */
export const ledgerEntryPayload = z
  .object({
    id: uuid,
    member_id: uuid,
    kind: z.enum(ENTRY_KINDS),
    points: int,
    reason: z.string().max(200).nullable(),
    sale_id: uuid.nullable(),
    refund_id: uuid.nullable(),
    target_entry_id: uuid.nullable(),
    expires_at: instant.nullable(),
    capped_points: int.nonnegative(),
    offline: z.union([z.literal(0), z.literal(1)]),
    business_date: date,
    created_at: instant,
    hlc,
    terminal_id: uuid,
    staff_id: z.string().max(100).nullable(),
    approved_by: z.string().max(100).nullable(),
    rule_set_version: int.positive(),
    idempotency_key: z.string().min(1).max(200),
  })
  .refine((e) => (e.points > 0) === (e.expires_at !== null), { message: 'credits carry an expiry, debits do not' });
export type LedgerEntryPayload = z.infer<typeof ledgerEntryPayload>;

export const memberPayload = z.object({
  id: uuid,
  phone: z.string().regex(/^\+\d{8,15}$/).nullable(),
  name: z.string().max(60).nullable(),
  birthday: z.string().max(10).nullable(),
  referrerId: uuid.nullable(),
  consentTermsAt: instant.nullable(),
  consentMarketing: z.boolean(),
  registeredAt: instant,
  hlc,
});
export type MemberPayload = z.infer<typeof memberPayload>;

/** Profile fields a terminal may change; each is a last-writer-wins register. */
export const MEMBER_FIELDS = ['name', 'birthday', 'phone', 'phone_last4', 'consent_marketing', 'consent_terms_at', 'status', 'status_reason'] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

export const memberFieldsPayload = z.object({
  memberId: uuid,
  /** Only the changed fields (zod 4's `record` over an enum would demand every field: `partialRecord`). */
  fields: z.partialRecord(z.enum(MEMBER_FIELDS), z.union([z.string().max(200), z.number().int(), z.null()])),
  hlc,
});
export type MemberFieldsPayload = z.infer<typeof memberFieldsPayload>;

export const cardPayload = z.object({
  code: z.string().min(1).max(64),
  memberId: uuid,
  kind: z.enum(['printed', 'nfc']).optional(),
  status: z.enum(['active', 'inactive']),
  reason: z.string().max(100).optional(),
});
export type CardPayload = z.infer<typeof cardPayload>;

/** Sales and refunds travel as the terminal's stored answer; the server keeps them for reports. */
export const salePayload = z
  .object({ id: uuid, receiptNo: z.string().max(40), businessDate: date, paidMinor: int.nonnegative(), member: z.object({ id: uuid }).nullable() })
  .passthrough();
export const refundPayload = z.object({ id: uuid, saleId: uuid, refundMinor: int.nonnegative() }).passthrough();
export const auditPayload = z.object({ id: uuid, action: z.string().max(60), hash: z.string().length(64), prev_hash: z.string().length(64) }).passthrough();

/** Staff registers, each last-writer-wins by HLC; `pin` is the scrypt hash of the PIN, never the PIN. */
export const STAFF_FIELDS = ['name', 'role', 'active', 'pin'] as const;
export type StaffField = (typeof STAFF_FIELDS)[number];
/**
 * A PIN hash as the terminals write it: `scrypt$N$r$p$<salt base64>$<hash base64>`. The cost is
 * bounded (N 2^10..2^17, r <= 16, p <= 4) so a hash from the server cannot make a till spend
 * gigabytes verifying a PIN.
 */
export const pinHashSchema = z
  .string()
  .max(200)
  .regex(/^scrypt\$\d{4,6}\$\d{1,2}\$\d\$[A-Za-z0-9+/]{16,64}={0,2}\$[A-Za-z0-9+/]{32,88}={0,2}$/, 'expected an scrypt PIN hash')
  .refine((h) => {
    const [, n, r, p] = h.split('$').map(Number) as [number, number, number, number];
    return n >= 1024 && n <= 131072 && (n & (n - 1)) === 0 && r >= 1 && r <= 16 && p >= 1 && p <= 4;
  }, 'scrypt cost out of range');
/**
 * A staff op. Version 1 sends `{ id, name, role, active }` (kept for reports, never sent to other
 * tills); version 2 adds `pinHash` and `fields`, the registers this op writes (all of them when
 * absent). The other values are the till's current ones and are not written.
 */
export const staffPayload = z
  .object({
    id: uuid,
    name: z.string().min(1).max(60),
    role: z.enum(['cashier', 'manager']),
    active: z.boolean(),
    pinHash: pinHashSchema.optional(),
    fields: z.array(z.enum(STAFF_FIELDS)).min(1).max(STAFF_FIELDS.length).optional(),
  })
  .refine((p) => !p.fields?.includes('pin') || p.pinHash !== undefined, { message: 'a pin write carries pinHash' });
export type StaffPayload = z.infer<typeof staffPayload>;

/** Version 3: a cash drawer event of a till (immutable; cash sales and refunds are not events). */
export const drawerEventPayload = z
  .object({
    id: uuid,
    session_id: uuid,
    kind: z.enum(['open', 'pay_in', 'pay_out', 'pickup', 'no_sale', 'close']),
    amount_minor: int.nonnegative(),
    business_date: date,
    at: instant,
  })
  .passthrough();
/** Version 3: a till's Z report (its business day closed), numbered per till and chained by hash. */
export const zReportPayload = z
  .object({ id: uuid, zNo: int.positive(), businessDate: date, closedAt: instant, hash: z.string().length(64), prevHash: z.string().length(64), report: z.record(z.string(), z.unknown()) })
  .passthrough();

export const OP_KINDS = ['ledger_entry', 'member', 'member_fields', 'card', 'sale', 'refund', 'audit', 'staff', 'drawer_event', 'z_report'] as const;
export type OpKind = (typeof OP_KINDS)[number];

export const OP_PAYLOADS = {
  ledger_entry: ledgerEntryPayload,
  member: memberPayload,
  member_fields: memberFieldsPayload,
  card: cardPayload,
  sale: salePayload,
  refund: refundPayload,
  audit: auditPayload,
  staff: staffPayload,
  drawer_event: drawerEventPayload,
  z_report: zReportPayload,
} as const;

// ------------------------------------------------------------------ answers: shared pieces

/**
 * Answers are parsed by the terminal with the schemas below before anything of them is used
 * (docs/sync-protocol.md, "What the terminal accepts"); the server's answer types are derived
 * from the same schemas, so what the server builds and what a terminal accepts cannot drift
 * apart unnoticed. Unknown object keys are dropped (a newer server may add fields); a missing
 * field, a wrong type or a value outside an enum refuses the whole answer.
 */

/** A feed position as it travels: a decimal string (it may exceed 2^53 on the wire). */
const feedSeq = z.string().regex(/^\d{1,19}$/, 'expected a feed position (a decimal string)');
/** `serverTime`: the terminal estimates its clock offset from it, so it must be a real instant. */
const serverTime = instant.refine((s) => !Number.isNaN(Date.parse(s)), 'expected a real instant');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month (YYYY-MM)');
const count = int.nonnegative();

/** Accepts any value that `schema` accepts, unchanged (the receiver parses it again with its defaults). */
function checkedAs(schema: z.ZodType): z.ZodType<unknown> {
  return z.unknown().superRefine((value, ctx) => {
    const r = schema.safeParse(value);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}
/** A rule set the terminal will store: checked as a whole before any change of its page is applied. */
const ruleSetValue = checkedAs(ruleSetSchema);

/** A card as the server resolved it (its kind is always known there). */
export const serverCard = cardPayload.extend({ kind: z.enum(['printed', 'nfc']) });
export type ServerCard = z.infer<typeof serverCard>;

/** A member as the server resolved it (LWW per field, merges applied): the registration's fields and the server's state. */
export const serverMember = memberPayload.omit({ hlc: true }).extend({
  status: z.enum(['active', 'blocked', 'merged', 'erased']),
  statusReason: z.string().max(200).nullable(),
  mergedInto: uuid.nullable(),
  diamond: z.boolean(),
  /** Per-field HLC of the winning write, so a terminal keeps its own newer pending edits. */
  fieldHlc: z.record(z.string().max(40), hlc),
});
export type ServerMember = z.infer<typeof serverMember>;

/** A staff member as the server resolved it (LWW per field); only the tills of its store receive it. */
export const serverStaff = z.object({
  id: uuid,
  name: z.string().min(1).max(60),
  role: z.enum(['cashier', 'manager']),
  active: z.boolean(),
  /** The scrypt hash of the PIN (the PIN itself never travels); its cost is bounded. */
  pinHash: pinHashSchema,
  /** HLC of the winning write of each register (name, role, active, pin). */
  fieldHlc: z.record(z.string().max(40), hlc),
});
export type ServerStaff = z.infer<typeof serverStaff>;

export const overdraftException = z.object({
  id: uuid,
  memberId: uuid,
  entryId: uuid,
  terminalId: uuid,
  /** Points the balance went below zero by because of this redemption. */
  shortfall: count,
  /** Money value of the shortfall in minor units at the regular rate. */
  exposureMinor: count,
  createdAt: instant,
});
export type OverdraftException = z.infer<typeof overdraftException>;

// ------------------------------------------------------------------ requests and responses

/**
 * One outbox row. `kind` is a plain string so a newer terminal's kinds reach the server, which
 * holds them aside (status `held`) instead of dropping or refusing the batch.
 */
export const opSchema = z.object({
  seq: int.positive(),
  opId: uuid,
  kind: z.string().min(1).max(40),
  entityId: z.string().min(1).max(100),
  hlc,
  payload: z.unknown(),
});
export type SyncOp = z.infer<typeof opSchema>;

export const enrolRequest = z.object({
  protocolVersion: int,
  code: z.string().min(6).max(64),
  terminalId: uuid,
  terminalName: z.string().max(60).optional(),
  appVersion: z.string().max(40),
});
export type EnrolRequest = z.infer<typeof enrolRequest>;
export const enrolResponse = z.object({
  /** Sent in an `Authorization: Bearer` header: token68 characters only (RFC 6750). */
  token: z.string().regex(/^[A-Za-z0-9\-._~+/]{16,512}=*$/, 'expected a bearer token'),
  storeId: uuid,
  storeName: z.string().min(1).max(100),
  /** The store's IANA time zone: it decides every business date on the terminal. */
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'expected an IANA time zone'),
  serverTime,
});
export type EnrolResponse = z.infer<typeof enrolResponse>;

export const pushRequest = z.object({
  protocolVersion: int,
  terminalId: uuid,
  appVersion: z.string().max(40),
  ops: z.array(opSchema).min(1).max(MAX_PUSH_OPS),
  /** The terminal's wall clock when it sent the request; the server records the offset. */
  sentAt: instant.optional(),
});
export type PushRequest = z.infer<typeof pushRequest>;

export const OP_STATUSES = ['applied', 'duplicate', 'rejected', 'held'] as const;
export type OpStatus = (typeof OP_STATUSES)[number];
export const opResult = z.object({
  seq: int.positive(),
  status: z.enum(OP_STATUSES),
  reason: z.string().max(1000).optional(),
  /** Set when the seq was already acknowledged earlier: this is the stored result, nothing was applied again. */
  replayed: z.literal(true).optional(),
});
export type OpResult = z.infer<typeof opResult>;
export const pushResponse = z.object({
  /** Every op up to and including this seq is stored: the terminal may delete them. */
  ackedThroughSeq: count,
  results: z.array(opResult).max(MAX_PUSH_OPS),
  serverTime,
});
export type PushResponse = z.infer<typeof pushResponse>;

export const pullRequest = z.object({
  protocolVersion: int,
  terminalId: uuid,
  /** The last server_seq this terminal applied, as a decimal string ("0" at first). */
  cursor: z.string().regex(/^\d{1,19}$/),
  limit: int.min(1).max(MAX_PULL_LIMIT).default(500),
  /** The terminal's wall clock when it sent the request; the server records the offset. */
  sentAt: instant.optional(),
});
export type PullRequest = z.infer<typeof pullRequest>;

/**
 * `POST /v1/snapshot` (version 2): one page of the current member state, in member id order, for a
 * terminal that bootstraps (a new till, or one whose cursor fell behind the compacted feed).
 */
export const snapshotRequest = z.object({
  protocolVersion: int,
  terminalId: uuid,
  /** Absent on the first page; then the `upperCursor` the first page answered, on every page. */
  upperCursor: z.string().regex(/^\d{1,19}$/).optional(),
  /** The last member id of the previous page ("" for the first page). */
  after: z.string().max(100).default(''),
  limit: int.min(1).max(MAX_SNAPSHOT_LIMIT).default(500),
  sentAt: instant.optional(),
});
export type SnapshotRequest = z.infer<typeof snapshotRequest>;

/** An open points lot: what is left of one credit, with its expiry (FIFO order as the server derives it). */
export const snapshotLot = z.object({
  entryId: uuid,
  kind: z.enum(ENTRY_KINDS),
  reason: z.string().max(200).nullable(),
  earnedAt: instant,
  expiresAt: instant,
  remaining: int.positive(),
  terminalId: uuid,
});
export type SnapshotLot = z.infer<typeof snapshotLot>;

/**
 * One member as the server holds it, WITHOUT what the requesting terminal contributed itself (its
 * own ledger entries, the spend of its own sales and refunds), exactly as the feed never echoes them.
 */
export const snapshotMember = z.object({
  member: serverMember,
  /** Open lots; sum(remaining) - debt is the balance of the entries other terminals and the server made. */
  lots: z.array(snapshotLot),
  /** Points below zero not yet repaid (0 when there are lots). */
  debt: count,
  /** Once-only bonuses (welcome, referral, birthday) that are no open lot any more: their ids, so they are never given twice. */
  onceOnly: z.array(z.object({ id: uuid, kind: z.enum(ENTRY_KINDS), createdAt: instant })),
  cards: z.array(serverCard),
  /** Qualifying spend per month from `spendFrom` on. */
  spend: z.array(z.object({ period, spendMinor: int })),
  exceptions: z.array(overdraftException),
});
export type SnapshotMember = z.infer<typeof snapshotMember>;

export const snapshotResponse = z.object({
  /** Where the change feed continues once the snapshot is complete (the head when the first page was cut). */
  upperCursor: feedSeq,
  /**
   * The feed head this page was read at (>= upperCursor): every ledger entry and spend change at or
   * below it is already counted in this page's members, so the terminal skips those when it
   * replays the feed from upperCursor.
   */
  pageCursor: feedSeq,
  members: z.array(snapshotMember).max(MAX_SNAPSHOT_LIMIT),
  /** `after` for the next page. */
  nextAfter: z.string().max(100),
  hasMore: z.boolean(),
  /** First month (`YYYY-MM`) of the spend included. */
  spendFrom: period,
  /** First page only: every published rule set and this terminal's store's staff. */
  ruleSets: z.array(ruleSetValue).optional(),
  staff: z.array(serverStaff).optional(),
  serverTime,
});
export type SnapshotResponse = z.infer<typeof snapshotResponse>;

/** What a terminal learns: changes in commit order. */
export const pullChange = z.discriminatedUnion('kind', [
  z.object({ serverSeq: feedSeq, kind: z.literal('ledger_entry'), entry: ledgerEntryPayload }),
  z.object({ serverSeq: feedSeq, kind: z.literal('member'), member: serverMember }),
  z.object({ serverSeq: feedSeq, kind: z.literal('card'), card: serverCard }),
  z.object({ serverSeq: feedSeq, kind: z.literal('spend'), memberId: uuid, period, deltaMinor: int, sourceTerminalId: uuid }),
  z.object({ serverSeq: feedSeq, kind: z.literal('rule_set'), ruleSet: ruleSetValue }),
  z.object({ serverSeq: feedSeq, kind: z.literal('exception'), exception: overdraftException }),
  z.object({ serverSeq: feedSeq, kind: z.literal('staff'), staff: serverStaff }),
]);
export type PullChange = z.infer<typeof pullChange>;
export const PULL_CHANGE_KINDS: readonly string[] = pullChange.options.map((o) => o.shape.kind.value);

/**
 * A change of a kind this version does not know (a newer server): the terminal keeps it aside,
 * whole, for a later version instead of dropping it or refusing the page. A change of a KNOWN kind
 * never takes this way: it must parse as that kind.
 */
export const unknownPullChange = z.looseObject({
  serverSeq: feedSeq,
  kind: z
    .string()
    .min(1)
    .max(40)
    .refine((k) => !PULL_CHANGE_KINDS.includes(k), { message: 'a known change kind must carry its fields', abort: true }),
});
export type UnknownPullChange = z.infer<typeof unknownPullChange>;

/** `POST /v1/pull` as the server sends it (only kinds of this version). */
export const pullResponse = z.object({
  changes: z.array(pullChange),
  nextCursor: feedSeq,
  hasMore: z.boolean(),
  serverTime,
});
export type PullResponse = z.infer<typeof pullResponse>;
/** `POST /v1/pull` as a terminal accepts it: also changes of kinds from a newer server, kept aside. */
export const pullAnswer = pullResponse.extend({ changes: z.array(z.union([pullChange, unknownPullChange])) });
export type PullAnswer = z.infer<typeof pullAnswer>;

export const holdRequest = z.object({
  holdId: uuid,
  memberId: uuid,
  points: int.positive(),
  receiptRef: z.string().min(1).max(100),
  /** Optional; when present they are checked like on push and pull. */
  protocolVersion: int.optional(),
  terminalId: uuid.optional(),
});
export type HoldRequest = z.infer<typeof holdRequest>;
export const holdResponse = z.object({
  holdId: uuid,
  status: z.literal('approved'),
  expiresAt: instant,
  /** Balance minus all open holds after this one. */
  availableAfter: int,
  serverTime,
});
export type HoldResponse = z.infer<typeof holdResponse>;

/** `POST /v1/holds/release`: gives an open hold back (a cancelled checkout). Idempotent. */
export const holdReleaseRequest = z.object({
  holdId: uuid,
  protocolVersion: int.optional(),
  terminalId: uuid.optional(),
});
export type HoldReleaseRequest = z.infer<typeof holdReleaseRequest>;
export const holdReleaseResponse = z.object({
  holdId: uuid,
  /** `released` now or earlier; `consumed` when a pushed redeem already used it; `expired` when it lapsed. */
  status: z.enum(['released', 'consumed', 'expired']),
  serverTime,
});
export type HoldReleaseResponse = z.infer<typeof holdReleaseResponse>;

/**
 * Every endpoint a terminal calls, with what it sends and how it parses the answer. The terminal's
 * HTTP client takes the answer schema from here, so no answer reaches the agent unparsed.
 */
export const TERMINAL_ENDPOINTS = {
  '/v1/enrol': { request: enrolRequest, answer: enrolResponse },
  '/v1/push': { request: pushRequest, answer: pushResponse },
  '/v1/pull': { request: pullRequest, answer: pullAnswer },
  '/v1/snapshot': { request: snapshotRequest, answer: snapshotResponse },
  '/v1/holds': { request: holdRequest, answer: holdResponse },
  '/v1/holds/release': { request: holdReleaseRequest, answer: holdReleaseResponse },
} as const;
export type TerminalPath = keyof typeof TERMINAL_ENDPOINTS;
export type TerminalRequest<P extends TerminalPath> = z.input<(typeof TERMINAL_ENDPOINTS)[P]['request']>;
export type TerminalAnswer<P extends TerminalPath> = z.output<(typeof TERMINAL_ENDPOINTS)[P]['answer']>;

// Whatever the server builds as an answer, the terminal accepts (checked by the compiler).
type Accepts<Answer, Sent extends Answer> = Sent;
export type AnswerAgreement = [
  Accepts<TerminalAnswer<'/v1/enrol'>, EnrolResponse>,
  Accepts<TerminalAnswer<'/v1/push'>, PushResponse>,
  Accepts<TerminalAnswer<'/v1/pull'>, PullResponse>,
  Accepts<TerminalAnswer<'/v1/snapshot'>, SnapshotResponse>,
  Accepts<TerminalAnswer<'/v1/holds'>, HoldResponse>,
  Accepts<TerminalAnswer<'/v1/holds/release'>, HoldReleaseResponse>,
];

export const SYNC_ERROR_CODES = [
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TOKEN_REVOKED',
  'ENROLMENT_CODE_INVALID',
  'PROTOCOL_VERSION_UNSUPPORTED',
  'SEQUENCE_GAP',
  /** A seq the server already acknowledged arrived with another opId (a terminal database reset or restored): re-enrol. */
  'SEQUENCE_CONFLICT',
  'HOLD_NOT_FOUND',
  /** The pull cursor (or a snapshot's upperCursor) is older than the compacted feed: load a snapshot. */
  'CURSOR_EXPIRED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INSUFFICIENT_POINTS',
  'MEMBER_NOT_FOUND',
  'MEMBER_BLOCKED',
  'INTERNAL',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** Error body of every non-2xx answer. */
export const syncErrorBody = z.object({
  error: z.object({ code: z.enum(SYNC_ERROR_CODES), message: z.string().max(2000), details: z.record(z.string(), z.unknown()).optional() }),
  serverTime,
});
export type SyncErrorBody = z.infer<typeof syncErrorBody>;
