import { DEFAULT_RULE_SET, type RuleSet } from '../../src-shared/domain/rules';
import { parseRuleSet } from '../../src-shared/domain/rules-parse';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { Db, Executor } from '../core/context';

/**
 * The programme's rule sets, versioned. The one in force on a business date is the highest
 * version whose effectiveFrom is on or before that date. Kept in memory; reloaded on install.
 */
export class RuleBook {
  private sets: RuleSet[] = [];

  constructor(private readonly db: Db) {}

  async load(now: string): Promise<void> {
    const rows = await this.db.selectFrom('rule_set').selectAll().orderBy('version').execute();
    if (rows.length === 0) {
      await this.db.insertInto('rule_set').values({ version: DEFAULT_RULE_SET.version, effective_from: DEFAULT_RULE_SET.effectiveFrom, body: JSON.stringify(DEFAULT_RULE_SET), received_at: now }).execute();
      this.sets = [DEFAULT_RULE_SET];
      return;
    }
    this.sets = rows.map((r) => parseRuleSet(JSON.parse(r.body)));
  }

  on(businessDate: string): RuleSet {
    let found: RuleSet | undefined;
    for (const s of this.sets) if (s.effectiveFrom <= businessDate && (!found || s.version > found.version)) found = s;
    return found ?? this.sets[0]!;
  }

  /** A rule set from the central server: stored once (a version already known is ignored). */
  async receive(ex: Executor, ruleSet: unknown, now: string): Promise<void> {
    const valid = parseRuleSet(ruleSet);
    if (this.sets.some((s) => s.version === valid.version)) return;
    await ex.insertInto('rule_set').values({ version: valid.version, effective_from: valid.effectiveFrom, body: JSON.stringify(valid), received_at: now }).execute();
    this.sets.push(valid);
  }

  async install(ruleSet: RuleSet, now: string): Promise<RuleSet> {
    const valid = parseRuleSet(ruleSet);
    const newest = Math.max(...this.sets.map((s) => s.version));
    if (valid.version <= newest) {
      throw new DomainError('INVALID_RULE_SET', `Rule set version ${valid.version} is not newer than the installed version ${newest}.`, { newest });
    }
    await this.db.insertInto('rule_set').values({ version: valid.version, effective_from: valid.effectiveFrom, body: JSON.stringify(valid), received_at: now }).execute();
    this.sets.push(valid);
    return valid;
  }
}
