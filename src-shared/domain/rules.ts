import { z } from 'zod';

const int = () => z.number().int();
const nonNeg = () => z.number().int().nonnegative();
const positive = () => z.number().int().positive();
const date = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const dateRange = { from: date(), to: date() };

/** A per-line multiplier for a date range, optionally limited to categories. */
const multiplierCampaign = z.object({
  id: z.string().min(1),
  kind: z.literal('multiplier'),
  name: z.string().min(1),
  ...dateRange,
  /** e.g. 20000 = double points. Must be >= 10000. */
  multiplierBp: int().min(10000).max(100000),
  /** When set, only lines in these categories qualify. */
  categories: z.array(z.string().min(1)).optional(),
});

/** A fixed bonus when the paid amount of a receipt reaches a threshold. */
const spendBonusCampaign = z.object({
  id: z.string().min(1),
  kind: z.literal('spend_bonus'),
  name: z.string().min(1),
  ...dateRange,
  thresholdMinor: positive(),
  bonusPoints: positive(),
});

/** A multiplier for members who have not bought anything for `silentDays`. */
const reactivationCampaign = z.object({
  id: z.string().min(1),
  kind: z.literal('reactivation'),
  name: z.string().min(1),
  ...dateRange,
  silentDays: positive(),
  multiplierBp: int().min(10000).max(100000),
});

export const campaignSchema = z
  .discriminatedUnion('kind', [multiplierCampaign, spendBonusCampaign, reactivationCampaign])
  .refine((c) => c.from <= c.to, { message: 'campaign ends before it starts', path: ['to'] });
export type Campaign = z.infer<typeof campaignSchema>;

export const rewardSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  points: positive(),
  active: z.boolean().default(true),
});
export type Reward = z.infer<typeof rewardSchema>;

export const ruleSetSchema = z
  .object({
    /** Monotonically increasing version; every receipt records the version it used. */
    version: positive(),
    /** The first business date on which this rule set applies. */
    effectiveFrom: date(),
    currency: z.string().length(3),
    /** Minor units per currency unit (100 for CNY). */
    minorPerUnit: positive(),
    earn: z.object({
      /** Points per whole currency unit paid. */
      pointsPerUnit: positive(),
      tierMultipliersBp: z.object({
        regular: int().min(0),
        silver: int().min(0),
        gold: int().min(0),
        diamond: int().min(0),
      }),
      /** Max purchase points (earn + spend bonus) per member per business day. */
      dailyCapPoints: positive(),
      birthdayBonus: nonNeg(),
      welcomeBonus: nonNeg(),
      referrerBonus: nonNeg(),
    }),
    redeem: z.object({
      /** Points that buy one currency unit for regular members. */
      pointsPerUnit: positive(),
      /** Value multiplier per tier (12000 = Diamond's 100 points = 1.2). */
      tierValueBp: z.object({
        regular: int().min(1),
        silver: int().min(1),
        gold: int().min(1),
        diamond: int().min(1),
      }),
      minPoints: positive(),
      stepPoints: positive(),
      /** Max share of a bill payable with points. */
      maxBillShareBp: int().min(0).max(10000),
    }),
    rewards: z.array(rewardSchema),
    expiry: z.object({
      months: positive(),
      warnDays: nonNeg(),
    }),
    tiers: z.object({
      silverSpendMinor: positive(),
      goldSpendMinor: positive(),
      /** Share of members that are Diamond (computed centrally). */
      diamondTopShareBp: int().min(0).max(10000),
    }),
    risk: z.object({
      memberRedemptionsMax: positive(),
      memberWindowSeconds: positive(),
      terminalRedemptionsMax: positive(),
      terminalWindowSeconds: positive(),
    }),
    offline: z.object({
      /** Max points one member may redeem per business day while offline. */
      redeemLimitPerMemberPerDay: nonNeg(),
    }),
    campaigns: z.array(campaignSchema),
  })
  .refine((r) => r.tiers.silverSpendMinor < r.tiers.goldSpendMinor, {
    message: 'the Gold threshold must be above the Silver threshold',
    path: ['tiers', 'goldSpendMinor'],
  })
  .refine((r) => r.redeem.minPoints % r.redeem.stepPoints === 0, {
    message: 'the minimum redemption must be a whole number of steps',
    path: ['redeem', 'minPoints'],
  })
  .refine((r) => new Set(r.campaigns.map((c) => c.id)).size === r.campaigns.length, {
    message: 'campaign ids must be unique',
    path: ['campaigns'],
  });

export type RuleSet = z.infer<typeof ruleSetSchema>;

/** The programme of the product brief, built in for a standalone store. */
export const DEFAULT_RULE_SET: RuleSet = ruleSetSchema.parse({
  version: 1,
  effectiveFrom: '2026-01-01',
  currency: 'CNY',
  minorPerUnit: 100,
  earn: {
    pointsPerUnit: 1,
    tierMultipliersBp: { regular: 10000, silver: 12500, gold: 15000, diamond: 20000 },
    dailyCapPoints: 5000,
    birthdayBonus: 200,
    welcomeBonus: 100,
    referrerBonus: 200,
  },
  redeem: {
    pointsPerUnit: 100,
    tierValueBp: { regular: 10000, silver: 10000, gold: 10000, diamond: 12000 },
    minPoints: 100,
    stepPoints: 100,
    maxBillShareBp: 5000,
  },
  rewards: [
    { id: 'coupon-10', name: 'Coupon ¥10 / 优惠券', points: 1000, active: true },
    { id: 'free-service', name: 'Free service / 免费服务', points: 5000, active: true },
  ],
  expiry: { months: 12, warnDays: 30 },
  tiers: { silverSpendMinor: 500000, goldSpendMinor: 1000000, diamondTopShareBp: 1000 },
  risk: {
    memberRedemptionsMax: 3,
    memberWindowSeconds: 600,
    terminalRedemptionsMax: 20,
    terminalWindowSeconds: 60,
  },
  offline: { redeemLimitPerMemberPerDay: 2000 },
  campaigns: [
    {
      id: 'reactivation',
      kind: 'reactivation',
      name: 'Welcome back: double points',
      from: '2026-01-01',
      to: '2099-12-31',
      silentDays: 183,
      multiplierBp: 20000,
    },
  ],
});

