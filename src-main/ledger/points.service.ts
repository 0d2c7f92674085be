import { inTransaction } from '../db/transaction';
import type { AdjustmentDto, ExpiryRunDto, RewardRedemptionDto } from '../../src-shared/api/dto';
import { creditExpiry } from '../../src-shared/domain/lots';
import { checkRewardRedemption } from '../../src-shared/domain/redeem';
import { assessRedemptionRisk } from '../../src-shared/domain/risk';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, StaffRow } from '../core/context';
import { appendEntry, entryByIdempotencyKey, rememberEntryKey } from './entries.repo';
import { expireDueLots, memberAtCheckout, velocityWindowStart } from './member-state';
import { todayOf } from './member-view';
import { memberById, terminalRedemptionsSince } from './members.repo';
import type { MembersService } from './members.service';

/** Manager adjustments, reward redemptions, the expiry run and the ledger check. */
export class PointsService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly members: MembersService,
  ) {}

  async adjust(input: { idempotencyKey: string; memberId: string; points: number; reason: string }, staff: StaffRow, approver: StaffRow): Promise<AdjustmentDto> {
    return inTransaction(this.ctx.db, async (trx) => {
      const key = `adjust:${input.idempotencyKey}`;
      const prior = await entryByIdempotencyKey(trx, key);
      if (prior) {
        if (prior.member_id !== input.memberId || prior.points !== input.points) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', 'This adjustment number was already used for a different adjustment.');
        }
        const m = await memberById(trx, prior.member_id);
        return { entryId: prior.id, points: prior.points, balanceAfter: m?.balance ?? 0, replayed: true };
      }
      const m = await this.members.requireTrading(trx, input.memberId);
      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const entry = await appendEntry(trx, this.ctx, {
        memberId: m.id,
        kind: 'adjust',
        points: input.points,
        reason: input.reason,
        expiresAt: input.points > 0 ? creditExpiry(now, rules) : null,
        businessDate,
        staffId: staff.id,
        approvedBy: approver.id,
        ruleSetVersion: rules.version,
        idempotencyKey: key,
      });
      await rememberEntryKey(trx, key, entry.id);
      await appendAudit(trx, this.ctx, {
        action: 'points.adjust',
        staffId: staff.id,
        approvedBy: approver.id,
        subjectType: 'member',
        subjectId: m.id,
        details: { points: input.points, reason: input.reason, entryId: entry.id },
      });
      const after = await memberById(trx, m.id);
      return { entryId: entry.id, points: entry.points, balanceAfter: after?.balance ?? 0, replayed: false };
    });
  }

  async redeemReward(input: { idempotencyKey: string; memberId: string; rewardId: string }, staff: StaffRow, approver: StaffRow | null): Promise<RewardRedemptionDto> {
    return inTransaction(this.ctx.db, async (trx) => {
      const key = `reward:${input.idempotencyKey}:redeem`; // the server consumes the hold `reward:<key>` with it
      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const prior = await entryByIdempotencyKey(trx, key);
      if (prior) {
        if (prior.member_id !== input.memberId || prior.reason !== `reward:${input.rewardId}`) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', 'This redemption number was already used for a different reward.');
        }
        const reward = rules.rewards.find((r) => r.id === input.rewardId)!;
        return { entryId: prior.id, reward, balanceAfter: (await memberById(trx, prior.member_id))?.balance ?? 0, replayed: true };
      }
      const m = await this.members.requireTrading(trx, input.memberId);
      if (m.status === 'blocked') throw new DomainError('MEMBER_BLOCKED', 'This member is blocked and cannot redeem points. Ask a manager.');
      const expired = await expireDueLots(trx, this.ctx, m.id, now, businessDate, rules);
      const { state, offlineRemaining } = await memberAtCheckout(trx, this.ctx, m, expired, now, businessDate, rules);
      const terminal = await terminalRedemptionsSince(trx, velocityWindowStart(now, rules, 'terminal'), now);
      const verdict = assessRedemptionRisk({ now, memberRedemptions: state.recentRedemptions, terminalRedemptions: terminal }, rules);
      if (verdict.held && !approver) {
        throw new DomainError('RISK_HOLD', 'Too many redemptions in a short time: a manager must approve this one.', { ...verdict });
      }
      const reward = checkRewardRedemption({ rewardId: input.rewardId, availablePoints: state.availablePoints, offlineRemaining: approver ? null : offlineRemaining }, rules);
      const offline = this.ctx.connectivity() === 'offline';
      const entry = await appendEntry(trx, this.ctx, {
        memberId: m.id,
        kind: 'redeem',
        points: -reward.points,
        reason: `reward:${reward.id}`,
        offline,
        businessDate,
        staffId: staff.id,
        approvedBy: approver?.id ?? null,
        ruleSetVersion: rules.version,
        idempotencyKey: key,
      });
      await rememberEntryKey(trx, key, entry.id);
      if (approver) {
        await appendAudit(trx, this.ctx, { action: 'reward.override', staffId: staff.id, approvedBy: approver.id, subjectType: 'member', subjectId: m.id, details: { rewardId: reward.id, held: verdict.held } });
      }
      return { entryId: entry.id, reward, balanceAfter: (await memberById(trx, m.id))?.balance ?? 0, replayed: false };
    });
  }

  /**
   * Expires every lot past its date. Incremental: only credits whose expiry falls after the
   * last run's watermark are looked at; each member is handled in its own short transaction,
   * and the idempotency key per lot makes a re-run (or a crash half-way) harmless.
   */
  async runExpiry(): Promise<ExpiryRunDto> {
    if (this.ctx.enrolled()) return { membersAffected: 0, entries: 0, pointsExpired: 0 }; // the server expires centrally
    const { now, businessDate } = todayOf(this.ctx);
    const rules = this.ctx.rulesOn(businessDate);
    const mark = await this.ctx.db.selectFrom('meta').select('value').where('key', '=', 'expiry_watermark').executeTakeFirst();
    const since = mark?.value ?? '0000';
    const due = await this.ctx.db
      .selectFrom('ledger_entry')
      .select('member_id')
      .distinct()
      .where('expires_at', '>', since)
      .where('expires_at', '<=', now)
      .execute();
    let entries = 0;
    let points = 0;
    let affected = 0;
    for (const { member_id } of due) {
      const expired = await inTransaction(this.ctx.db, async (trx) => {
        const before = await trx.selectFrom('ledger_entry').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', member_id).where('kind', '=', 'expire').executeTakeFirstOrThrow();
        const total = await expireDueLots(trx, this.ctx, member_id, now, businessDate, rules);
        const after = await trx.selectFrom('ledger_entry').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', member_id).where('kind', '=', 'expire').executeTakeFirstOrThrow();
        return { total, count: Number(after.n) - Number(before.n) };
      });
      if (expired.total > 0) affected += 1;
      points += expired.total;
      entries += expired.count;
    }
    await this.ctx.db
      .insertInto('meta')
      .values({ key: 'expiry_watermark', value: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: now }))
      .execute();
    return { membersAffected: affected, entries, pointsExpired: points };
  }
}
