import { sql, type Kysely } from 'kysely';

/**
 * Sync protocol version 2 (docs/sync-protocol.md):
 * - `staff_field_clock`: the HLC of each staff register (name, role, active, pin) as this till
 *   last wrote or received it; staff travel between the tills of a store, last writer wins.
 * - `snapshot_range`: while a till bootstraps from a snapshot, the feed seq each page was read at,
 *   per member id range (after, last]: the feed replayed afterwards skips the ledger entries and
 *   spend changes a page already counted. Emptied once the feed has passed every page.
 * - `snapshot_link`: a referrer or merge target named by a member whose page came before the
 *   target's page (foreign keys): linked as soon as the target arrives.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE staff_field_clock (
       staff_id TEXT NOT NULL REFERENCES staff(id),
       field TEXT NOT NULL CHECK (field IN ('name','role','active','pin')),
       hlc TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       PRIMARY KEY (staff_id, field)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE snapshot_range (
       after TEXT NOT NULL PRIMARY KEY,
       last TEXT,
       seq INTEGER NOT NULL
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE snapshot_link (
       member_id TEXT NOT NULL,
       col TEXT NOT NULL CHECK (col IN ('referrer_id','merged_into')),
       target TEXT NOT NULL,
       PRIMARY KEY (member_id, col)
     ) STRICT, WITHOUT ROWID`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['snapshot_link', 'snapshot_range', 'staff_field_clock']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
