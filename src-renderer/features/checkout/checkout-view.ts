import type { CheckoutPreviewDto, MemberDto } from '../../../src-shared/api/dto';
import type { Params } from '../../i18n/errors';
import type { MessageKey } from '../../i18n/messages/en';

/**
 * What the checkout screen shows, derived from the core's answers only (the member, the preview,
 * the sale): no rule is computed here. Pure, tested in node.
 */

export interface Line {
  key: MessageKey;
  params: Params;
  tone?: 'info' | 'warning' | 'danger' | 'success';
  testId?: string;
}

/** Warnings and notes about the member for the cashier: state, expiry, birthday, offline limit. */
export function memberNotes(m: MemberDto): Line[] {
  const out: Line[] = [];
  if (m.status === 'blocked') out.push({ key: 'member.blocked', params: {}, tone: 'danger', testId: 'member-blocked' });
  if (m.status === 'merged') out.push({ key: 'member.merged', params: {}, tone: 'danger', testId: 'member-merged' });
  if (m.status === 'erased') out.push({ key: 'member.erased', params: {}, tone: 'danger', testId: 'member-erased' });
  if (m.anonymous) out.push({ key: 'member.anonymous', params: {}, tone: 'info' });
  if (m.expiringSoon.points > 0) {
    out.push({ key: 'member.expiring', params: { points: m.expiringSoon.points, days: m.expiringSoon.withinDays, date: m.expiringSoon.firstExpiry ?? '' }, tone: 'warning', testId: 'member-expiring' });
  }
  if (m.birthdayThisMonth) out.push({ key: 'member.birthdayMonth', params: {}, tone: 'success', testId: 'member-birthday' });
  if (m.offlineRedeemRemaining !== null) out.push({ key: 'member.offlineLimit', params: { points: m.offlineRedeemRemaining }, tone: 'warning', testId: 'member-offline-limit' });
  if (m.balance < 0) out.push({ key: 'member.negative', params: { points: -m.balance }, tone: 'danger' });
  return out;
}

/** Why the most redeemable is what it is, as a message key. */
export function redeemLimitKey(limitedBy: string): MessageKey {
  switch (limitedBy) {
    case 'balance':
      return 'redeem.limitBalance';
    case 'bill_cap':
      return 'redeem.limitBill';
    case 'offline_limit':
      return 'redeem.limitOffline';
    case 'blocked':
      return 'redeem.limitBlocked';
    case 'below_minimum':
      return 'redeem.limitMinimum';
    default:
      return 'redeem.limitRules';
  }
}

/** The points this sale earns, line by line of the preview: purchase points, multipliers, bonuses, cap. */
export function earnRows(p: CheckoutPreviewDto): Line[] {
  if (!p.earn) return [];
  const rows: Line[] = [{ key: 'earn.purchase', params: { points: p.earn.purchasePoints } }];
  if (p.earn.tierMultiplierBp !== 10000) rows.push({ key: 'earn.tierMultiplier', params: { x: formatMultiplier(p.earn.tierMultiplierBp) } });
  const campaigns = new Map<string, number>();
  for (const l of p.earn.lines) if (l.campaignId && l.campaignMultiplierBp > 10000) campaigns.set(l.campaignId, l.campaignMultiplierBp);
  for (const [id, bp] of campaigns) rows.push({ key: 'earn.campaign', params: { name: id, x: formatMultiplier(bp) }, tone: 'success' });
  for (const b of p.earn.bonuses) rows.push({ key: bonusKey(b.reason), params: { points: b.points, name: b.campaignId ?? '' }, tone: 'success' });
  if (p.earn.cappedPoints > 0) rows.push({ key: 'earn.capped', params: { points: p.earn.cappedPoints }, tone: 'warning' });
  return rows;
}

export function earnedTotal(p: CheckoutPreviewDto): number {
  return p.earn ? p.earn.purchasePoints + p.earn.bonuses.reduce((a, b) => a + b.points, 0) : 0;
}

export function bonusKey(reason: string): MessageKey {
  switch (reason) {
    case 'birthday':
      return 'earn.bonusBirthday';
    case 'welcome':
      return 'earn.bonusWelcome';
    case 'referral':
      return 'earn.bonusReferral';
    case 'spend_threshold':
      return 'earn.bonusSpend';
    default:
      return 'earn.bonusOther';
  }
}

/** 12500 -> "1.25", 20000 -> "2". */
export function formatMultiplier(bp: number): string {
  return String(Math.round(bp / 100) / 100);
}
