import { instantMs } from './dates';
import { requireWhole } from './money';
import type { RuleSet } from './rules';
import type { Instant, Points } from './types';

export type RiskVerdict = { held: false } | { held: true; rule: 'member_velocity' | 'terminal_velocity'; count: number; windowSeconds: number };

function countWithin(nowMs: number, instants: readonly Instant[], windowSeconds: number, field: string): number {
  const fromMs = nowMs - windowSeconds * 1000;
  let count = 0;
  for (const at of instants) if (instantMs(at, field) >= fromMs) count++;
  return count;
}

/**
 * Velocity rules for a new redemption at `now`: held when the member already has
 * memberRedemptionsMax redemptions within memberWindowSeconds before now (the 4th in 10 minutes
 * by default), or the terminal terminalRedemptionsMax within terminalWindowSeconds (the 21st in
 * a minute). Instants after `now` count as within the window (clock went backwards).
 * The window is inclusive (a redemption exactly windowSeconds ago still counts); the member
 * rule is checked first; `count` in a hold includes the new redemption (4 = "the 4th").
 */
export function assessRedemptionRisk(
  args: { now: Instant; memberRedemptions: readonly Instant[]; terminalRedemptions: readonly Instant[] },
  rules: RuleSet,
): RiskVerdict {
  const nowMs = instantMs(args.now, 'now');
  const r = rules.risk;
  const member = countWithin(nowMs, args.memberRedemptions, r.memberWindowSeconds, 'memberRedemptions');
  if (member >= r.memberRedemptionsMax) {
    return { held: true, rule: 'member_velocity', count: member + 1, windowSeconds: r.memberWindowSeconds };
  }
  const terminal = countWithin(nowMs, args.terminalRedemptions, r.terminalWindowSeconds, 'terminalRedemptions');
  if (terminal >= r.terminalRedemptionsMax) {
    return { held: true, rule: 'terminal_velocity', count: terminal + 1, windowSeconds: r.terminalWindowSeconds };
  }
  return { held: false };
}

/** Offline allowance left for a member today: limit - points already redeemed offline today, never below 0. */
export function offlineRedemptionRemaining(redeemedOfflineToday: Points, rules: RuleSet): Points {
  requireWhole(redeemedOfflineToday, 'redeemedOfflineToday');
  return Math.max(0, rules.offline.redeemLimitPerMemberPerDay - redeemedOfflineToday);
}
