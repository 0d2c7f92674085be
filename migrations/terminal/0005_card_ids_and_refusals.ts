import { sql, type Kysely } from 'kysely';

/**
 * Two additions for the counter screens (issue 4):
 *
 * 1. `card.id`: a handle for a card that is not its number. The screens only ever show masked
 *    card numbers, so a cashier picks "the card to replace" by this id. It is local to this till
 *    (never synced: across stores a card is its code). Cards bound here get a UUIDv7 from the
 *    core; rows written without one (the bulk demo seed, cards arriving by sync, the rows that
 *    exist now) get a random UUID from the column's default. SQLite cannot add a column with a
 *    non-constant default, so the table is rebuilt (no table refers to `card`). No index on it:
 *    a card is always looked up among its member's cards (`card_member`).
 *
 * 2. `redemption_refusal`: a redemption the rules refused (blocked member, velocity hold without
 *    approval, offline limit, above the balance or the bill cap, a manager approval that failed...).
 *    The refused operation itself rolls back; this row is written afterwards in its own
 *    transaction and never touches a balance. A retry of the same request (same channel,
 *    idempotency key, reason and points) is recorded once.
 */
const UUID_V4 = `(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE card_new (
       code TEXT PRIMARY KEY,
       id TEXT NOT NULL DEFAULT ${UUID_V4},
       member_id TEXT NOT NULL REFERENCES member(id),
       kind TEXT NOT NULL CHECK (kind IN ('printed','nfc')),
       status TEXT NOT NULL CHECK (status IN ('active','inactive')),
       status_reason TEXT,
       added_at TEXT NOT NULL,
       hlc TEXT NOT NULL
     ) STRICT, WITHOUT ROWID`,
    `INSERT INTO card_new (code, member_id, kind, status, status_reason, added_at, hlc)
       SELECT code, member_id, kind, status, status_reason, added_at, hlc FROM card`,
    `DROP TABLE card`,
    `ALTER TABLE card_new RENAME TO card`,
    `CREATE INDEX card_member ON card(member_id)`,

    `CREATE TABLE redemption_refusal (
       id TEXT PRIMARY KEY,
       at TEXT NOT NULL,
       business_date TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       staff_id TEXT,
       approver_id TEXT,
       member_id TEXT NOT NULL,
       channel TEXT NOT NULL CHECK (channel IN ('bill','reward')),
       points INTEGER NOT NULL CHECK (points >= 0),
       reason TEXT NOT NULL,
       details TEXT NOT NULL,
       offline INTEGER NOT NULL CHECK (offline IN (0,1)),
       idempotency_key TEXT NOT NULL,
       UNIQUE (channel, idempotency_key, reason, points)
     ) STRICT`,
    `CREATE INDEX redemption_refusal_date ON redemption_refusal(business_date)`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    `DROP TABLE IF EXISTS redemption_refusal`,
    `CREATE TABLE card_old (
       code TEXT PRIMARY KEY,
       member_id TEXT NOT NULL REFERENCES member(id),
       kind TEXT NOT NULL CHECK (kind IN ('printed','nfc')),
       status TEXT NOT NULL CHECK (status IN ('active','inactive')),
       status_reason TEXT,
       added_at TEXT NOT NULL,
       hlc TEXT NOT NULL
     ) STRICT, WITHOUT ROWID`,
    `INSERT INTO card_old SELECT code, member_id, kind, status, status_reason, added_at, hlc FROM card`,
    `DROP TABLE card`,
    `ALTER TABLE card_old RENAME TO card`,
    `CREATE INDEX card_member ON card(member_id)`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}
