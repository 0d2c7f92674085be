import type { Database } from 'better-sqlite3';
import { DEMO_SEED_META_KEY } from '../../src-main/seed/demo';

/**
 * Whether a member has bought nothing since the demo store was seeded, i.e. from no earlier bench
 * run. Benches pick buyers with a seeded PRNG so that runs compare; without this filter every run
 * sells to the same members again, and their leaves of the member-keyed indexes (`sale_member`,
 * `ledger_member`) fill up until nearly every checkout splits one and reads its cold neighbours:
 * a load no till sees, where a member comes back days later.
 */
export function notSoldToSinceSeed(raw: Database): (memberId: string) => boolean {
  const meta = raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEMO_SEED_META_KEY) as string | undefined;
  const seededAt = meta ? (JSON.parse(meta) as { seededAt?: string }).seededAt : undefined;
  if (!seededAt) return () => true;
  const soldSince = raw.prepare('SELECT 1 FROM sale WHERE member_id = ? AND created_at > ? LIMIT 1').pluck();
  return (memberId) => soldSince.get(memberId, seededAt) === undefined;
}
