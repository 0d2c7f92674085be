import { businessDateOf } from '../../src-shared/domain/dates';
import type { CoreContext } from '../core/context';
import { appendAudit } from '../core/audit.repo';
import type { AreaHandlers } from '../core/handlers';
import { memberCount } from '../ledger/members.repo';
import type { RuleBook } from './rules.repo';

/** The till itself: who and where it is, and the programme's rule sets. */
export function createTerminalHandlers({ ctx, rules }: { ctx: CoreContext; rules: RuleBook }): AreaHandlers<'terminal.info' | 'rules.current' | 'rules.install'> {
  const rulesToday = () => rules.on(businessDateOf(ctx.now().toISOString(), ctx.timeZone));
  return {
    'terminal.info': async () => {
      return {
        terminalId: ctx.terminalId,
        storeId: ctx.storeId,
        storeName: ctx.storeName,
        timeZone: ctx.timeZone,
        currency: ctx.currency,
        appVersion: ctx.appVersion,
        schemaVersion: ctx.schemaVersion,
        dataDir: ctx.dataDir,
        ruleSetVersion: rulesToday().version,
        connectivity: ctx.connectivity(),
        memberCount: await memberCount(ctx.db),
      };
    },
    'rules.current': async () => rulesToday(),
    'rules.install': async ({ ruleSet }, { staff, approver }) => {
      const installed = await rules.install(ruleSet, ctx.now().toISOString());
      await appendAudit(ctx.db, ctx, { action: 'rules.install', staffId: staff.id, approvedBy: approver.id, subjectType: 'rule_set', subjectId: String(installed.version) });
      return installed;
    },
  };
}
