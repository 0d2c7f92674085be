import { DomainError } from '../errors/domain-error';
import { ruleSetSchema, type RuleSet } from './rules';

/** Parses an unknown value into a validated rule set, or throws INVALID_RULE_SET with every issue. */
export function parseRuleSet(input: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError('INVALID_RULE_SET', 'The programme rules are not valid.', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
