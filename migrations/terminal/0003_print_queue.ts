import { sql, type Kysely } from 'kysely';

/**
 * The persistent print queue (docs/hardware.md, "Print queue"). A job holds the document to
 * print as JSON (a receipt or a report, never printer bytes: it is rendered at print time for
 * whichever printer is configured then). Jobs for a sale or refund are written in the same
 * transaction as the sale or refund. `seq` is the printing order.
 *
 * States: queued -> printing -> printed; printing -> needs_check after a crash or a write that
 * failed half-way (it may have printed: the cashier decides); failed_permanently when the
 * document cannot be rendered; cancelled by the cashier.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE print_job (
       seq INTEGER PRIMARY KEY,
       id TEXT NOT NULL UNIQUE,
       kind TEXT NOT NULL CHECK (kind IN ('receipt','refund_receipt','reprint','test','end_of_day')),
       document TEXT NOT NULL,
       state TEXT NOT NULL DEFAULT 'queued'
         CHECK (state IN ('queued','printing','printed','needs_check','failed_permanently','cancelled')),
       attempts INTEGER NOT NULL DEFAULT 0,
       last_error TEXT,
       created_at TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       printed_at TEXT,
       sale_id TEXT REFERENCES sale(id),
       refund_id TEXT REFERENCES refund(id),
       receipt_no TEXT,
       reprint_of TEXT,
       staff_id TEXT
     ) STRICT`,
    /* The worker's "next job": the oldest queued one. */
    `CREATE INDEX print_job_queued ON print_job(seq) WHERE state = 'queued'`,
    `CREATE INDEX print_job_receipt ON print_job(receipt_no) WHERE receipt_no IS NOT NULL`,
    `CREATE INDEX print_job_open ON print_job(state) WHERE state IN ('printing','needs_check')`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS print_job`.execute(db);
}
