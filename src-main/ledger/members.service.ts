import { inTransaction } from '../db/transaction';
import { classifyScan } from '../../src-shared/cards';
import type { CardReplacementDto, LedgerEntryDto, MemberDto, MemberExportDto, MemberSummaryDto, RevealDto, ScanOutcomeDto } from '../../src-shared/api/dto';
import { creditExpiry } from '../../src-shared/domain/lots';
import { DomainError } from '../../src-shared/errors/domain-error';
import { maskCardCode } from '../../src-shared/privacy/mask';
import { lastFourDigits, looksLikePhone, normalisePhone } from '../../src-shared/privacy/phone';
import { appendAudit } from '../core/audit.repo';
import { rememberAnswer, rememberedAnswer } from '../core/idempotency.repo';
import type { CoreContext, Executor, StaffRow, Trx } from '../core/context';
import { requireCardCode } from './card-code';
import { appendEntry, type LedgerRow } from './entries.repo';
import {
  cardByCode,
  cardsOfMember,
  indexMemberName,
  memberById,
  memberByPhone,
  membersByLast4,
  membersByName,
  type MemberRow,
} from './members.repo';
import { todayOf, toCardDto, toMemberDto, toSummary } from './member-view';
import { enqueueOutbox } from '../core/outbox.repo';
import { requestHash } from './request-hash';
import { productPrice } from './products.repo';

export interface RegisterInput {
  idempotencyKey: string;
  phone: string;
  name?: string | null;
  birthday?: string | null;
  referrer?: string | null;
  cardCode?: string | null;
  consentTerms: true;
  consentMarketing: boolean;
}

/** Members and their cards: registration, activation, look-up, profile edits, privacy requests. */
export class MembersService {
  constructor(private readonly ctx: CoreContext) {}

  private get db() {
    return this.ctx.db;
  }

  async get(memberId: string): Promise<MemberDto> {
    return toMemberDto(this.db, this.ctx, await this.require(this.db, memberId));
  }

  async require(ex: Executor, memberId: string): Promise<MemberRow> {
    const m = await memberById(ex, memberId);
    if (!m) throw new DomainError('MEMBER_NOT_FOUND', 'No member with that id on this till.', { memberId });
    return m;
  }

  /** A member who may trade: not merged into another, not erased. */
  async requireTrading(ex: Executor, memberId: string): Promise<MemberRow> {
    const m = await this.require(ex, memberId);
    if (m.status === 'merged') {
      throw new DomainError('MEMBER_MERGED', 'This membership was merged into another one. Use the other membership.', { mergedInto: m.merged_into });
    }
    if (m.status === 'erased') throw new DomainError('MEMBER_ERASED', 'This membership was erased at the member’s request.', { memberId });
    return m;
  }

  async register(input: RegisterInput, staff: StaffRow): Promise<MemberDto> {
    const phone = normalisePhone(input.phone);
    const card = input.cardCode ? requireCardCode(input.cardCode) : null;
    const memberId = await inTransaction(this.db, async (trx) => {
      const replayId = await this.replayedMemberId(trx, input.idempotencyKey);
      if (replayId) return replayId;
      const existing = await memberByPhone(trx, phone);
      if (existing) {
        throw new DomainError('DUPLICATE_PHONE', 'This phone number is already registered. Look the member up instead.', { memberId: existing.id });
      }
      if (card && (await cardByCode(trx, card.code))) {
        throw new DomainError('CARD_ALREADY_ACTIVE', 'This card already belongs to a member. Use a new card.', { maskedCode: maskCardCode(card.code) });
      }
      const referrer = input.referrer ? await this.findReferrer(trx, input.referrer) : null;
      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const m = await this.insertMember(trx, {
        phone,
        name: input.name ?? null,
        birthday: normaliseBirthday(input.birthday ?? null),
        referrer_id: referrer?.id ?? null,
        consent_terms_at: now,
        consent_marketing: input.consentMarketing ? 1 : 0,
      });
      if (card) await this.insertCard(trx, m.id, card.code, card.kind);
      if (referrer && rules.earn.welcomeBonus > 0) {
        await appendEntry(trx, this.ctx, {
          memberId: m.id,
          kind: 'bonus',
          points: rules.earn.welcomeBonus,
          reason: 'welcome',
          expiresAt: creditExpiry(now, rules),
          businessDate,
          staffId: staff.id,
          ruleSetVersion: rules.version,
          idempotencyKey: `welcome:${m.id}`,
          onceOnly: true,
        });
      }
      await this.rememberRegistration(trx, input.idempotencyKey, m.id);
      return m.id;
    });
    return this.get(memberId);
  }

  /** A pre-printed card scanned for the first time: an anonymous member who earns at once. */
  async activateCard(input: { idempotencyKey: string; cardCode: string }): Promise<MemberDto> {
    const card = requireCardCode(input.cardCode, false);
    const memberId = await inTransaction(this.db, async (trx) => {
      const replayId = await this.replayedMemberId(trx, input.idempotencyKey);
      if (replayId) return replayId;
      if (await cardByCode(trx, card.code)) {
        throw new DomainError('CARD_ALREADY_ACTIVE', 'This card is already active. Scan it to find its member.', { maskedCode: maskCardCode(card.code) });
      }
      const m = await this.insertMember(trx, { phone: null, name: null, birthday: null, referrer_id: null, consent_terms_at: null, consent_marketing: 0 });
      await this.insertCard(trx, m.id, card.code, card.kind);
      await this.rememberRegistration(trx, input.idempotencyKey, m.id);
      return m.id;
    });
    return this.get(memberId);
  }

  async update(
    input: { memberId: string; name?: string | null; birthday?: string | null; phone?: string; consentMarketing?: boolean },
    staff: StaffRow,
  ): Promise<MemberDto> {
    await inTransaction(this.db, async (trx) => {
      const m = await this.requireTrading(trx, input.memberId);
      const changes: Partial<MemberRow> = {};
      if (input.name !== undefined) changes.name = input.name || null;
      if (input.birthday !== undefined) changes.birthday = normaliseBirthday(input.birthday);
      if (input.consentMarketing !== undefined) changes.consent_marketing = input.consentMarketing ? 1 : 0;
      if (input.phone !== undefined) {
        const phone = normalisePhone(input.phone);
        const other = await memberByPhone(trx, phone);
        if (other && other.id !== m.id) {
          throw new DomainError('DUPLICATE_PHONE', 'This phone number is already registered to another member.', { memberId: other.id });
        }
        changes.phone = phone;
        changes.phone_last4 = lastFourDigits(phone);
        if (m.consent_terms_at === null) changes.consent_terms_at = this.ctx.now().toISOString();
      }
      if (Object.keys(changes).length === 0) return;
      await trx.updateTable('member').set(changes).where('id', '=', m.id).execute();
      if (changes.name !== undefined) await indexMemberName(trx, m.seq, changes.name);
      await this.recordFieldChanges(trx, m.id, changes);
      await appendAudit(trx, this.ctx, { action: 'member.update', staffId: staff.id, subjectType: 'member', subjectId: m.id, details: { fields: Object.keys(changes) } });
    });
    return this.get(input.memberId);
  }

  /**
   * Binds a card to the member. Safe to retry: the same card sent again for the same member
   * (an answer lost on the way back) finds it already there, active, and answers as the first
   * time without writing anything. Another member's card, or a stopped one, is refused.
   */
  async addCard(memberId: string, cardCode: string, staff: StaffRow): Promise<MemberDto> {
    const card = requireCardCode(cardCode);
    await inTransaction(this.db, async (trx) => {
      await this.requireTrading(trx, memberId);
      const taken = await cardByCode(trx, card.code);
      if (taken?.status === 'active' && taken.member_id === memberId) return;
      if (taken?.status === 'active') {
        throw new DomainError('CARD_ALREADY_ACTIVE', 'This card already belongs to a member. Use a new card.', { maskedCode: maskCardCode(card.code) });
      }
      if (taken) {
        throw new DomainError('CARD_INACTIVE', 'This card was reported lost or replaced and no longer works. Use a new card.', {
          maskedCode: maskCardCode(card.code),
          reason: taken.status_reason,
        });
      }
      await this.insertCard(trx, memberId, card.code, card.kind);
      await appendAudit(trx, this.ctx, { action: 'card.add', staffId: staff.id, subjectType: 'member', subjectId: memberId, details: { card: maskCardCode(card.code) } });
    });
    return this.get(memberId);
  }

  async deactivateCard(cardCode: string, reason: string, staff: StaffRow): Promise<MemberDto> {
    const { code } = requireCardCode(cardCode);
    const memberId = await inTransaction(this.db, async (trx) => {
      const card = await cardByCode(trx, code);
      if (!card) throw new DomainError('CARD_NOT_FOUND', 'This card is not known on this till.', { maskedCode: maskCardCode(code) });
      if (card.status === 'inactive') return card.member_id;
      const hlc = this.ctx.hlc.send();
      await trx.updateTable('card').set({ status: 'inactive', status_reason: reason, hlc }).where('code', '=', code).execute();
      await enqueueOutbox(trx, this.ctx, 'card', code, { code, memberId: card.member_id, status: 'inactive', reason }, hlc);
      await appendAudit(trx, this.ctx, { action: 'card.deactivate', staffId: staff.id, subjectType: 'member', subjectId: card.member_id, details: { card: maskCardCode(code), reason } });
      return card.member_id;
    });
    return this.get(memberId);
  }

  /**
   * A lost or damaged card replaced by a new one, in ONE transaction: the old card (picked by its
   * id among the member's cards) stops working with the reason, the new card is bound to the
   * member, both go to the sync outbox as card changes, and the replacement is audited. The
   * balance is the member's and does not move. The new card must be unknown to this till (a
   * pre-printed card never activated, or a new NFC tag); a card of another member, or one that
   * was stopped, is refused and nothing changes. The same idempotency key with the same request
   * answers the first replacement again (`replayed: true`); with another request it is
   * IDEMPOTENCY_CONFLICT.
   */
  async replaceCard(
    input: { idempotencyKey: string; memberId: string; cardId: string; newCardCode: string; reason: 'lost' | 'damaged' },
    staff: StaffRow,
  ): Promise<CardReplacementDto> {
    const next = requireCardCode(input.newCardCode);
    const hash = requestHash({ memberId: input.memberId, cardId: input.cardId, newCardCode: next.code, reason: input.reason });
    const done = await inTransaction(this.db, async (trx) => {
      const prior = await rememberedAnswer(trx, 'card_replacement', input.idempotencyKey);
      if (prior) {
        const p = JSON.parse(prior.result) as { memberId: string; oldCode: string; newCode: string };
        if (prior.requestHash !== hash) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', 'This card replacement number was already used for another replacement. Start again.', {});
        }
        return { memberId: p.memberId, oldCode: p.oldCode, newCode: p.newCode, replayed: true };
      }
      await this.requireTrading(trx, input.memberId);
      const old = (await cardsOfMember(trx, input.memberId)).find((c) => c.id === input.cardId);
      if (!old) {
        throw new DomainError('CARD_NOT_FOUND', 'That card is not one of this member’s cards. Open the member again and pick the card from the list.', { cardId: input.cardId });
      }
      const taken = await cardByCode(trx, next.code);
      if (taken?.status === 'active') {
        throw new DomainError('CARD_ALREADY_ACTIVE', 'This card already belongs to a member. Use a new card.', { maskedCode: maskCardCode(next.code) });
      }
      if (taken) {
        throw new DomainError('CARD_INACTIVE', 'This card was reported lost or replaced and no longer works. Use a new card.', {
          maskedCode: maskCardCode(next.code),
          reason: taken.status_reason,
        });
      }
      const wasActive = old.status === 'active';
      if (wasActive) {
        // Stopped before the new card is bound: the two card changes reach the server in that order.
        const hlc = this.ctx.hlc.send();
        await trx.updateTable('card').set({ status: 'inactive', status_reason: input.reason, hlc }).where('code', '=', old.code).execute();
        await enqueueOutbox(trx, this.ctx, 'card', old.code, { code: old.code, memberId: input.memberId, status: 'inactive', reason: input.reason }, hlc);
      }
      await this.insertCard(trx, input.memberId, next.code, next.kind);
      await appendAudit(trx, this.ctx, {
        action: 'card.replace',
        staffId: staff.id,
        subjectType: 'member',
        subjectId: input.memberId,
        details: { oldCard: maskCardCode(old.code), newCard: maskCardCode(next.code), reason: input.reason, oldCardWasActive: wasActive },
      });
      await rememberAnswer(trx, 'card_replacement', input.idempotencyKey, {
        requestHash: hash,
        result: JSON.stringify({ memberId: input.memberId, oldCode: old.code, newCode: next.code }),
      });
      return { memberId: input.memberId, oldCode: old.code, newCode: next.code, replayed: false };
    });
    const cardDto = async (code: string) => {
      const c = await cardByCode(this.db, code);
      if (!c) throw new DomainError('CARD_NOT_FOUND', 'That card is not known on this till.', { maskedCode: maskCardCode(code) });
      return toCardDto(c);
    };
    return { member: await this.get(done.memberId), oldCard: await cardDto(done.oldCode), newCard: await cardDto(done.newCode), replayed: done.replayed };
  }

  async setBlocked(memberId: string, blocked: boolean, reason: string, staff: StaffRow, approver: StaffRow): Promise<MemberDto> {
    await inTransaction(this.db, async (trx) => {
      const m = await this.requireTrading(trx, memberId);
      const status = blocked ? 'blocked' : 'active';
      if (m.status === status) return;
      await trx.updateTable('member').set({ status, status_reason: reason }).where('id', '=', memberId).execute();
      await this.recordFieldChanges(trx, memberId, { status });
      await appendAudit(trx, this.ctx, {
        action: blocked ? 'member.block' : 'member.unblock',
        staffId: staff.id,
        approvedBy: approver.id,
        subjectType: 'member',
        subjectId: memberId,
        details: { reason },
      });
    });
    return this.get(memberId);
  }

  /** Look-up by card, phone, last four digits or name; `auto` decides from what was typed. */
  async find(query: string, by: 'auto' | 'card' | 'phone' | 'last4' | 'name', limit: number): Promise<MemberSummaryDto[]> {
    const q = query.trim();
    const mode = by === 'auto' ? guessLookup(q) : by;
    let rows: MemberRow[] = [];
    if (mode === 'card') {
      const { code } = requireCardCode(q);
      const card = await cardByCode(this.db, code);
      const m = card?.status === 'active' ? await memberById(this.db, card.member_id) : undefined;
      rows = m ? [m] : [];
    } else if (mode === 'phone') {
      const m = await memberByPhone(this.db, normalisePhone(q));
      rows = m ? [m] : [];
    } else if (mode === 'last4') {
      if (!/^\d{4}$/.test(q)) throw new DomainError('INVALID_INPUT', 'Type exactly the last four digits of the phone number.', { field: 'query' });
      rows = await membersByLast4(this.db, q, limit);
    } else {
      rows = await membersByName(this.db, q, limit);
    }
    const { businessDate } = todayOf(this.ctx);
    return Promise.all(rows.map((m) => toSummary(this.db, this.ctx, m, businessDate)));
  }

  /** What a scanner or a typed code means at the counter. */
  async scan(raw: string): Promise<ScanOutcomeDto> {
    const r = classifyScan(raw);
    if (r.kind === 'product') return { kind: 'product', ean13: r.ean13, product: await productPrice(this.db, r.ean13) };
    if (r.kind === 'unknown') {
      if (r.reason === 'bad_luhn') {
        throw new DomainError('INVALID_CARD_NUMBER', 'That card number is not valid (check digit wrong). Scan the card again or retype the 16 digits.', { reason: r.reason });
      }
      throw new DomainError('UNRECOGNISED_SCAN', `${r.message} Scan again, or type the card or phone number.`, { reason: r.reason });
    }
    const card = await cardByCode(this.db, r.code);
    if (!card) return { kind: 'unknown_card', code: r.code, maskedCode: maskCardCode(r.code), activatable: true };
    if (card.status === 'inactive') {
      throw new DomainError('CARD_INACTIVE', 'This card was reported lost or replaced and no longer works. Find the member by phone instead.', {
        maskedCode: maskCardCode(r.code),
        reason: card.status_reason,
      });
    }
    const m = await this.require(this.db, card.member_id);
    return { kind: 'member', member: await toMemberDto(this.db, this.ctx, m), code: r.code };
  }

  async history(memberId: string, limit: number, before?: string): Promise<LedgerEntryDto[]> {
    await this.require(this.db, memberId);
    let q = this.db
      .selectFrom('ledger_entry as e')
      .leftJoin('sale as s', 's.id', 'e.sale_id')
      .selectAll('e')
      .select('s.receipt_no')
      .where('e.member_id', '=', memberId);
    if (before) q = q.where('e.created_at', '<', before);
    const local = (await q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute()).map((r) => toEntryDto(r, r.receipt_no));
    // Entries made at other stores (and by the server) arrive by sync.
    let rq = this.db.selectFrom('remote_entry').selectAll().where('member_id', '=', memberId);
    if (before) rq = rq.where('created_at', '<', before);
    const remote = (await rq.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map((r) =>
      toEntryDto({ ...r, refund_id: null, capped_points: 0, staff_id: null, approved_by: null, rule_set_version: 0 }, null),
    );
    return [...local, ...remote]
      .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)))
      .slice(0, limit);
  }

  async reveal(memberId: string, staff: StaffRow, approver: StaffRow): Promise<RevealDto> {
    return inTransaction(this.db, async (trx) => {
      const m = await this.require(trx, memberId);
      await appendAudit(trx, this.ctx, { action: 'member.reveal', staffId: staff.id, approvedBy: approver.id, subjectType: 'member', subjectId: memberId });
      return { phone: m.phone, name: m.name, birthday: m.birthday };
    });
  }

  async exportData(memberId: string, staff: StaffRow, approver: StaffRow): Promise<MemberExportDto> {
    return inTransaction(this.db, async (trx) => {
      const m = await this.require(trx, memberId);
      const cards = await cardsOfMember(trx, memberId);
      const entries = await trx
        .selectFrom('ledger_entry as e')
        .leftJoin('sale as s', 's.id', 'e.sale_id')
        .selectAll('e')
        .select('s.receipt_no')
        .where('e.member_id', '=', memberId)
        .orderBy('e.created_at')
        .execute();
      const sales = await trx.selectFrom('sale').select(['receipt_no', 'created_at', 'paid_minor']).where('member_id', '=', memberId).orderBy('created_at').execute();
      await appendAudit(trx, this.ctx, { action: 'member.export', staffId: staff.id, approvedBy: approver.id, subjectType: 'member', subjectId: memberId });
      return {
        member: {
          id: m.id,
          phone: m.phone,
          name: m.name,
          birthday: m.birthday,
          registeredAt: m.registered_at,
          consentMarketing: m.consent_marketing === 1,
          consentTermsAt: m.consent_terms_at,
        },
        cards: cards.map(toCardDto),
        ledger: entries.map((r) => toEntryDto(r, r.receipt_no)),
        sales: sales.map((s) => ({ receiptNo: s.receipt_no, createdAt: s.created_at, paidMinor: s.paid_minor })),
      };
    });
  }

  /**
   * Erasure on request: the profile is anonymised (phone, name, birthday, consents gone, name
   * index cleared, cards deactivated) while the ledger stays whole, so balances and reports
   * remain consistent.
   */
  async erase(memberId: string, staff: StaffRow, approver: StaffRow): Promise<MemberDto> {
    await inTransaction(this.db, async (trx) => {
      const m = await this.require(trx, memberId);
      if (m.status === 'erased') return;
      const changes = { phone: null, phone_last4: null, name: null, birthday: null, consent_marketing: 0, status: 'erased' as const, status_reason: 'erasure request' };
      await trx.updateTable('member').set(changes).where('id', '=', memberId).execute();
      await indexMemberName(trx, m.seq, null);
      const hlc = this.ctx.hlc.send();
      await trx.updateTable('card').set({ status: 'inactive', status_reason: 'erased', hlc }).where('member_id', '=', memberId).execute();
      await this.recordFieldChanges(trx, memberId, changes);
      await appendAudit(trx, this.ctx, { action: 'member.erase', staffId: staff.id, approvedBy: approver.id, subjectType: 'member', subjectId: memberId });
    });
    return this.get(memberId);
  }

  private async insertMember(
    trx: Trx,
    p: Pick<MemberRow, 'phone' | 'name' | 'birthday' | 'referrer_id' | 'consent_terms_at' | 'consent_marketing'>,
  ): Promise<MemberRow> {
    const now = this.ctx.now().toISOString();
    const id = this.ctx.newId();
    await trx
      .insertInto('member')
      .values({
        id,
        ...p,
        phone_last4: p.phone ? lastFourDigits(p.phone) : null,
        status: 'active',
        status_reason: null,
        merged_into: null,
        registered_at: now,
        registered_terminal: this.ctx.terminalId,
        first_purchase_at: null,
        last_purchase_date: null,
      })
      .execute();
    const m = (await memberById(trx, id))!;
    await indexMemberName(trx, m.seq, m.name);
    const hlc = this.ctx.hlc.send();
    await enqueueOutbox(trx, this.ctx, 'member', id, { id, phone: m.phone, name: m.name, birthday: m.birthday, referrerId: m.referrer_id, consentTermsAt: m.consent_terms_at, consentMarketing: m.consent_marketing === 1, registeredAt: now, hlc }, hlc);
    return m;
  }

  private async insertCard(trx: Trx, memberId: string, code: string, kind: 'printed' | 'nfc'): Promise<void> {
    const hlc = this.ctx.hlc.send();
    await trx
      .insertInto('card')
      .values({ code, id: this.ctx.newId(), member_id: memberId, kind, status: 'active', status_reason: null, added_at: this.ctx.now().toISOString(), hlc })
      .execute();
    await enqueueOutbox(trx, this.ctx, 'card', code, { code, memberId, kind, status: 'active' }, hlc);
  }

  /** Per-field HLC clocks: the sync agent ships each changed field as a last-writer-wins register. */
  private async recordFieldChanges(trx: Trx, memberId: string, changes: Record<string, unknown>): Promise<void> {
    const hlc = this.ctx.hlc.send();
    for (const field of Object.keys(changes)) {
      await trx
        .insertInto('member_field_clock')
        .values({ member_id: memberId, field, hlc, terminal_id: this.ctx.terminalId })
        .onConflict((oc) => oc.columns(['member_id', 'field']).doUpdateSet({ hlc, terminal_id: this.ctx.terminalId }))
        .execute();
    }
    await enqueueOutbox(trx, this.ctx, 'member_fields', memberId, { memberId, fields: changes, hlc }, hlc);
  }

  private async findReferrer(ex: Executor, referrer: string): Promise<MemberRow> {
    let m: MemberRow | undefined;
    if (looksLikePhone(referrer) && !/^\d{16}$/.test(referrer.replace(/[\s-]/g, ''))) {
      m = await memberByPhone(ex, normalisePhone(referrer));
    } else {
      const { code } = requireCardCode(referrer);
      const card = await cardByCode(ex, code);
      m = card ? await memberById(ex, card.member_id) : undefined;
    }
    if (!m || m.status !== 'active') {
      throw new DomainError('MEMBER_NOT_FOUND', 'The referring member was not found. Check their phone or card number, or leave it empty.', { field: 'referrer' });
    }
    return m;
  }

  private async replayedMemberId(ex: Executor, key: string): Promise<string> {
    return (await rememberedAnswer(ex, 'registration', key))?.result ?? '';
  }

  private async rememberRegistration(trx: Trx, key: string, memberId: string): Promise<void> {
    await rememberAnswer(trx, 'registration', key, { requestHash: null, result: memberId });
  }
}

export function toEntryDto(r: LedgerRow, receiptNo: string | null): LedgerEntryDto {
  return {
    id: r.id,
    kind: r.kind,
    points: r.points,
    reason: r.reason,
    saleId: r.sale_id,
    receiptNo,
    createdAt: r.created_at,
    businessDate: r.business_date,
    expiresAt: r.expires_at,
    cappedPoints: r.capped_points,
    staffId: r.staff_id,
  };
}

function guessLookup(q: string): 'card' | 'phone' | 'last4' | 'name' {
  if (/^\d{4}$/.test(q)) return 'last4';
  const r = classifyScan(q, { manualEntry: true });
  if (r.kind === 'member_card') return 'card';
  if (looksLikePhone(q)) return 'phone';
  if (r.kind === 'unknown' && r.reason === 'bad_luhn' && /^[\d\s-]{16,19}$/.test(q)) return 'card';
  return 'name';
}

/** YYYY-MM-DD or --MM-DD (year unknown), checked to be a real day. */
function normaliseBirthday(b: string | null): string | null {
  if (!b) return null;
  const m = /^(?:(\d{4})-|--)(\d{2})-(\d{2})$/.exec(b);
  const year = m?.[1] === undefined ? 2000 : Number(m[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (!m || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new DomainError('INVALID_INPUT', 'That birthday is not a real date.', { field: 'birthday' });
  }
  return b;
}
