import { z } from 'zod';
import { DomainError } from '../errors/domain-error';
import {
  CASH_ROUNDINGS,
  CNY_DENOMINATIONS_MINOR,
  DEFAULT_REFUND_APPROVAL_THRESHOLD_MINOR,
  TENDER_CODE_PATTERN,
  TENDER_KINDS,
  compileReferencePattern,
} from './tender-basics';

// The constants and look-ups without zod live in tender-basics.ts (the payment rules use them in
// the renderer, which keeps zod out of its bundle); they are exported from here as before.
export * from './tender-basics';

/**
 * Tender types are configuration, not code: a store lists the ways it takes money (cash, bank
 * card, WeChat Pay, Alipay, vouchers, …), and the payment, refund and drawer rules read the list.
 * Card and wallet terminals are external: the till records what they approved (the amount and a
 * reference), it never talks to them.
 */


/** The screen languages; every name a cashier or a receipt shows exists in all three. */
const names = () =>
  z.object({
    'zh-Hans': z.string().trim().min(1).max(40),
    'zh-Hant': z.string().trim().min(1).max(40),
    en: z.string().trim().min(1).max(40),
  });


export const tenderTypeSchema = z
  .object({
    code: z.string().regex(TENDER_CODE_PATTERN, 'an upper-case id such as CASH or WECHAT'),
    names: names(),
    kind: z.enum(TENDER_KINDS),
    /**
     * A reference must be recorded with every payment of this type: the card slip's last four
     * digits, the wallet's transaction number, the voucher's number (typed or scanned).
     */
    referenceRequired: z.boolean().default(false),
    /**
     * When set, a reference (required or not) must match this regular expression as a whole
     * (`^(?:pattern)$`, Unicode mode), after trimming.
     */
    referencePattern: z.string().min(1).max(200).optional(),
    /** What the screen asks for ("Card last 4 digits"). */
    referenceLabel: names().optional(),
    /** Taking this tender kicks the cash drawer open. */
    opensDrawer: z.boolean().default(false),
    /** The customer may hand over more than is due and get change (only the cash tender). */
    givesChange: z.boolean().default(false),
    /** Inactive types are refused for new payments; refunds to an earlier payment still go back to them. */
    active: z.boolean().default(true),
  })
  .refine((t) => t.referencePattern === undefined || compileReferencePattern(t.referencePattern) !== null, {
    message: 'the reference pattern is not a valid regular expression',
    path: ['referencePattern'],
  });
export type TenderType = z.infer<typeof tenderTypeSchema>;


const denominationList = z
  .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .min(1)
  .refine((list) => new Set(list).size === list.length, { message: 'a denomination is listed twice' })
  // Largest first: the order a count screen and a count line list use.
  .transform((list) => [...list].sort((a, b) => b - a));

export const tenderConfigSchema = z
  .object({
    tenderTypes: z.array(tenderTypeSchema).min(1).max(50),
    cashRounding: z.enum(CASH_ROUNDINGS).default('none'),
    /** Notes and coins per ISO 4217 currency code, in minor units. */
    denominations: z
      .record(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'), denominationList)
      // A fresh list for every parse: configurations never share an array.
      .default(() => ({ CNY: [...CNY_DENOMINATIONS_MINOR] })),
    /**
     * A refund above this amount (of the sale's refunds together) needs a manager's approval;
     * 0 means every refund needs one.
     */
    refundApprovalThresholdMinor: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .default(DEFAULT_REFUND_APPROVAL_THRESHOLD_MINOR),
    /** Every refund needs a reason (a refund that needs approval needs one whatever this says). */
    refundReasonRequired: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const codes = new Set<string>();
    c.tenderTypes.forEach((t, i) => {
      if (codes.has(t.code)) {
        ctx.addIssue({ code: 'custom', message: `tender code ${t.code} is listed twice`, path: ['tenderTypes', i, 'code'] });
      }
      codes.add(t.code);
      // Change comes out of the drawer, so only the cash tender can give it.
      if (t.givesChange && t.kind !== 'cash') {
        ctx.addIssue({ code: 'custom', message: 'only the cash tender gives change', path: ['tenderTypes', i, 'givesChange'] });
      }
    });
    // Exactly one cash tender: the drawer, the cash rounding and "refund to cash" all mean it.
    const cash = c.tenderTypes.filter((t) => t.kind === 'cash');
    if (cash.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: cash.length === 0 ? 'the cash tender is missing' : 'there must be exactly one cash tender',
        path: ['tenderTypes'],
      });
      return;
    }
    const theCash = cash[0] as TenderType;
    const at = c.tenderTypes.indexOf(theCash);
    if (!theCash.givesChange) {
      ctx.addIssue({ code: 'custom', message: 'the cash tender must give change', path: ['tenderTypes', at, 'givesChange'] });
    }
    if (!theCash.opensDrawer) {
      ctx.addIssue({ code: 'custom', message: 'the cash tender must open the drawer', path: ['tenderTypes', at, 'opensDrawer'] });
    }
    // Cash refunds and the drawer need it even when a store prefers other tenders.
    if (!theCash.active) {
      ctx.addIssue({ code: 'custom', message: 'the cash tender cannot be inactive', path: ['tenderTypes', at, 'active'] });
    }
  });

export type TenderConfig = z.infer<typeof tenderConfigSchema>;
export type TenderConfigInput = z.input<typeof tenderConfigSchema>;

/** The product brief's tenders: cash, bank card, WeChat Pay, Alipay, vouchers. */
export const DEFAULT_TENDER_TYPES: readonly z.input<typeof tenderTypeSchema>[] = [
  {
    code: 'CASH',
    names: { 'zh-Hans': '现金', 'zh-Hant': '現金', en: 'Cash' },
    kind: 'cash',
    referenceRequired: false,
    opensDrawer: true,
    givesChange: true,
  },
  {
    code: 'CARD',
    names: { 'zh-Hans': '银行卡', 'zh-Hant': '銀行卡', en: 'Bank card' },
    kind: 'card',
    referenceRequired: true,
    // The last four digits of the card, as printed on the terminal's slip.
    referencePattern: '\\d{4}',
    referenceLabel: { 'zh-Hans': '卡号后四位', 'zh-Hant': '卡號後四碼', en: 'Card last 4 digits' },
    opensDrawer: false,
    givesChange: false,
  },
  {
    code: 'WECHAT',
    names: { 'zh-Hans': '微信支付', 'zh-Hant': '微信支付', en: 'WeChat Pay' },
    kind: 'wallet',
    referenceRequired: true,
    // The transaction number (交易单号, 28 digits today) or the merchant order number: letters
    // and digits, so a scan of either is accepted and a stray keystroke is not.
    referencePattern: '[0-9A-Za-z]{6,64}',
    referenceLabel: { 'zh-Hans': '交易单号', 'zh-Hant': '交易單號', en: 'Transaction no.' },
    opensDrawer: false,
    givesChange: false,
  },
  {
    code: 'ALIPAY',
    names: { 'zh-Hans': '支付宝', 'zh-Hant': '支付寶', en: 'Alipay' },
    kind: 'wallet',
    referenceRequired: true,
    referencePattern: '[0-9A-Za-z]{6,64}',
    referenceLabel: { 'zh-Hans': '交易号', 'zh-Hant': '交易號', en: 'Transaction no.' },
    opensDrawer: false,
    givesChange: false,
  },
  {
    code: 'VOUCHER',
    names: { 'zh-Hans': '代金券', 'zh-Hant': '代金券', en: 'Voucher' },
    kind: 'voucher',
    referenceRequired: true,
    referenceLabel: { 'zh-Hans': '券号', 'zh-Hant': '券號', en: 'Voucher no.' },
    // Most vouchers at Chinese counters are scanned codes (团购券), with nothing to put away; a
    // store taking paper vouchers turns this on.
    opensDrawer: false,
    givesChange: false,
  },
];

/** Parses an unknown value into a validated tender configuration, or throws INVALID_TENDER_CONFIG with every issue. */
export function parseTenderConfig(input: unknown): TenderConfig {
  const parsed = tenderConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError('INVALID_TENDER_CONFIG', 'The tender configuration is not valid.', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** The built-in configuration of a standalone store: the default tenders, no rounding, CNY notes. */
export const DEFAULT_TENDER_CONFIG: TenderConfig = parseTenderConfig({ tenderTypes: DEFAULT_TENDER_TYPES });

