import { z } from 'zod';
import type { MethodSpec } from './access';
import { ruleSetSchema } from '../domain/rules';
import type * as D from './dto';
import type { ErrorPayload } from '../errors/domain-error';
import { devicesContract, type DevicesOutputs } from './contract-devices';
import { reportsContract, type ReportsOutputs } from './contract-reports';
import { moneyContract, type MoneyOutputs } from './contract-money';
import { syncContract, type SyncOutputs } from './contract-sync';

/**
 * The one contract between the UI (and outside tools) and the terminal core.
 * Every method has a zod input schema; Electron IPC and the HTTP bridge both parse the
 * input with it before the core sees it. Method names are `area.verbNoun`.
 */

const id = z.string().min(1).max(100);
const idempotencyKey = z.string().min(8).max(100);
const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
const money = z.number().int().nonnegative().max(1_000_000_000_00);
const points = z.number().int();
/** E.164: + and 8 to 15 digits. Local Chinese mobiles (11 digits) are accepted and given +86. */
const phone = z.string().trim().min(4).max(20);
const birthday = z.string().regex(/^(\d{4}-|--)\d{2}-\d{2}$/, 'birthday is YYYY-MM-DD or --MM-DD');

/** A manager's approval for an override: their staff id and PIN. */
export const approvalSchema = z.object({ staffId: id, pin });

export const saleLineSchema = z.object({
  lineNo: z.number().int().min(1).max(999),
  category: z.string().trim().min(1).max(40),
  sku: z.string().max(40).nullish(),
  description: z.string().max(120).nullish(),
  quantity: z.number().int().min(1).max(9999),
  unitPriceMinor: money,
  discountMinor: money.optional(),
});

const checkoutInput = z.object({
  memberId: id.nullish(),
  lines: z.array(saleLineSchema).min(1).max(200),
  redeemPoints: z.number().int().nonnegative().default(0),
  approval: approvalSchema.optional(),
});

/** One tender handed over at the payment step (for cash: what the customer gave; see src-shared/tenders/payment.ts). */
export const tenderInputSchema = z.object({
  code: z.string().trim().min(1).max(32),
  amountMinor: z.number().int().nonnegative().max(1_000_000_000_00),
  reference: z.string().trim().max(64).nullish(),
});

const coreContract = {
  'terminal.info': { access: 'none', writes: false, input: z.object({}).strict() },
  'rules.current': { access: 'none', writes: false, input: z.object({}).strict() },

  'staff.list': { access: 'none', writes: false, input: z.object({}).strict() },
  'session.signIn': { access: 'none', writes: true, input: z.object({ staffId: id, pin }) },
  'session.signOut': { access: 'none', writes: true, input: z.object({}).strict() },
  'session.current': { access: 'none', writes: false, input: z.object({}).strict() },
  'staff.create': { access: 'approval', writes: true,
    input: z.object({ name: z.string().trim().min(1).max(60), role: z.enum(['cashier', 'manager']), pin, approval: approvalSchema }),
  },
  'staff.changePin': { access: 'approval', writes: true, input: z.object({ staffId: id, newPin: pin, approval: approvalSchema }) },
  'staff.deactivate': { access: 'approval', writes: true, input: z.object({ staffId: id, approval: approvalSchema }) },

  'members.scan': { access: 'staff', writes: false, input: z.object({ raw: z.string().max(512) }) },
  'members.find': { access: 'staff', writes: false,
    input: z.object({
      query: z.string().trim().min(1).max(100),
      by: z.enum(['auto', 'card', 'phone', 'last4', 'name']).default('auto'),
      limit: z.number().int().min(1).max(100).default(20),
    }),
  },
  'members.get': { access: 'staff', writes: false, input: z.object({ memberId: id }) },
  'members.register': { access: 'staff', writes: true,
    input: z.object({
      idempotencyKey,
      phone,
      name: z.string().trim().max(60).nullish(),
      birthday: birthday.nullish(),
      referrer: z.string().trim().max(40).nullish(),
      cardCode: z.string().trim().max(64).nullish(),
      consentTerms: z.literal(true, { message: 'the member must accept the programme terms' }),
      consentMarketing: z.boolean(),
    }),
  },
  'members.activateCard': { access: 'staff', writes: true, input: z.object({ idempotencyKey, cardCode: z.string().trim().min(1).max(64) }) },
  'members.update': { access: 'staff', writes: true,
    input: z.object({
      memberId: id,
      name: z.string().trim().max(60).nullish(),
      birthday: birthday.nullish(),
      phone: phone.optional(),
      consentMarketing: z.boolean().optional(),
    }),
  },
  'members.addCard': { access: 'staff', writes: true, input: z.object({ memberId: id, cardCode: z.string().trim().min(1).max(64) }) },
  'members.deactivateCard': { access: 'staff', writes: true,
    input: z.object({ cardCode: z.string().trim().min(1).max(64), reason: z.enum(['lost', 'damaged', 'stolen', 'replaced']) }),
  },
  /** A lost or damaged card, picked by its id from the member's cards, replaced by a new card in one transaction. */
  'members.replaceCard': { access: 'staff', writes: true,
    input: z.object({
      idempotencyKey,
      memberId: id,
      cardId: id,
      newCardCode: z.string().trim().min(1).max(64),
      reason: z.enum(['lost', 'damaged']),
    }),
  },
  'members.block': { access: 'approval', writes: true, input: z.object({ memberId: id, reason: z.string().trim().min(3).max(200), approval: approvalSchema }) },
  'members.unblock': { access: 'approval', writes: true, input: z.object({ memberId: id, reason: z.string().trim().min(3).max(200), approval: approvalSchema }) },
  'members.history': { access: 'staff', writes: false,
    input: z.object({ memberId: id, limit: z.number().int().min(1).max(500).default(50), before: z.string().max(40).optional() }),
  },
  'members.reveal': { access: 'approval', writes: true, input: z.object({ memberId: id, approval: approvalSchema }) },
  'members.export': { access: 'approval', writes: true, input: z.object({ memberId: id, approval: approvalSchema }) },
  'members.erase': { access: 'approval', writes: true, input: z.object({ memberId: id, approval: approvalSchema }) },

  'checkout.preview': { access: 'staff', writes: false, input: checkoutInput },
  'checkout.complete': { access: 'staff', writes: true,
    input: checkoutInput.extend({
      idempotencyKey,
      /** What covered the amount due: required when the till takes the money (tenders.config `paymentsAtTill`). */
      tenders: z.array(tenderInputSchema).max(20).optional(),
    }),
  },
  'rewards.list': { access: 'none', writes: false, input: z.object({}).strict() },
  'rewards.redeem': { access: 'staff', writes: true, input: z.object({ idempotencyKey, memberId: id, rewardId: id, approval: approvalSchema.optional() }) },
  'sales.get': { access: 'staff', writes: false, input: z.object({ saleId: id.optional(), receiptNo: id.optional() }).refine((v) => v.saleId || v.receiptNo, 'give saleId or receiptNo') },
  'sales.recent': { access: 'staff', writes: false, input: z.object({ limit: z.number().int().min(1).max(200).default(20) }) },
  'refunds.create': { access: 'staff', writes: true,
    input: z.object({
      idempotencyKey,
      saleId: id.optional(),
      receiptNo: id.optional(),
      lines: z.array(z.object({ lineNo: z.number().int().min(1), quantity: z.number().int().min(1) })).min(1).max(200),
      approval: approvalSchema.optional(),
      /** Pay back in cash instead of the sale's card or wallet tenders (a manager approves). */
      toCash: z.boolean().optional(),
      reason: z.string().trim().min(1).max(200).optional(),
    }).refine((v) => v.saleId || v.receiptNo, 'give saleId or receiptNo'),
  },
  'points.adjust': { access: 'approval', writes: true,
    input: z.object({
      idempotencyKey,
      memberId: id,
      points: points.refine((p) => p !== 0, 'an adjustment cannot be zero').refine((p) => Math.abs(p) <= 1_000_000, 'too large'),
      reason: z.string().trim().min(3).max(200),
      approval: approvalSchema,
    }),
  },
  'points.runExpiry': { access: 'staff', writes: true, input: z.object({}).strict() },

  'ledger.verify': { access: 'none', writes: false, input: z.object({}).strict() },
  'audit.verify': { access: 'none', writes: false, input: z.object({}).strict() },
  'rules.install': { access: 'approval', writes: true, input: z.object({ ruleSet: ruleSetSchema, approval: approvalSchema }) },
} as const satisfies Record<string, MethodSpec>;

/** Every method of every area: the one allowlist both transports dispatch through. */
export const contract = { ...coreContract, ...reportsContract, ...devicesContract, ...syncContract, ...moneyContract } as const satisfies Record<string, MethodSpec>;

export type Method = keyof typeof contract;
export type Input<M extends Method> = z.input<(typeof contract)[M]['input']>;
export type ParsedInput<M extends Method> = z.output<(typeof contract)[M]['input']>;
/** Who may call method M (see access.ts). */
export type AccessOf<M extends Method> = (typeof contract)[M]['access'];

export interface CoreOutputs {
  'terminal.info': D.TerminalInfoDto;
  'rules.current': D.RuleSetDto;
  'staff.list': D.StaffDto[];
  'session.signIn': D.SessionDto;
  'session.signOut': D.SessionDto;
  'session.current': D.SessionDto;
  'staff.create': D.StaffDto;
  'staff.changePin': D.StaffDto;
  'staff.deactivate': D.StaffDto;
  'members.scan': D.ScanOutcomeDto;
  'members.find': D.MemberSummaryDto[];
  'members.get': D.MemberDto;
  'members.register': D.MemberDto;
  'members.activateCard': D.MemberDto;
  'members.update': D.MemberDto;
  'members.addCard': D.MemberDto;
  'members.deactivateCard': D.MemberDto;
  'members.replaceCard': D.CardReplacementDto;
  'members.block': D.MemberDto;
  'members.unblock': D.MemberDto;
  'members.history': D.LedgerEntryDto[];
  'members.reveal': D.RevealDto;
  'members.export': D.MemberExportDto;
  'members.erase': D.MemberDto;
  'checkout.preview': D.CheckoutPreviewDto;
  'checkout.complete': D.SaleDto;
  'rewards.list': D.RuleSetDto['rewards'];
  'rewards.redeem': D.RewardRedemptionDto;
  'sales.get': D.SaleDto;
  'sales.recent': D.SaleDto[];
  'refunds.create': D.RefundDto;
  'points.adjust': D.AdjustmentDto;
  'points.runExpiry': D.ExpiryRunDto;
  'ledger.verify': D.LedgerVerifyDto;
  'audit.verify': D.AuditVerifyDto;
  'rules.install': D.RuleSetDto;
}

/** The typed API: what the renderer and outside tools call. Errors are thrown as DomainError. */
export interface Outputs extends CoreOutputs, ReportsOutputs, DevicesOutputs, SyncOutputs, MoneyOutputs {}

export type PosApi = { [M in Method]: (input: Input<M>) => Promise<Outputs[M]> };

/** The core's side: handlers receive already-parsed input. */
export type PosHandlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Outputs[M]> };

export const METHODS = Object.keys(contract) as Method[];

export function isMethod(m: unknown): m is Method {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(contract, m);
}

/**
 * A method's input parsed with its schema, or the INVALID_INPUT error every transport answers
 * with: each issue as `path: message`, and the issues in `details`.
 */
export function parseInput<M extends Method>(method: M, input: unknown): { ok: true; data: ParsedInput<M> } | { ok: false; error: ErrorPayload } {
  const parsed = contract[method].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data as ParsedInput<M> };
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    },
  };
}
