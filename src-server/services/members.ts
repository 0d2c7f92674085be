import { sql } from 'kysely';
import { SERVER_TERMINAL_ID, type MemberFieldsPayload, type MemberPayload } from '../../src-shared/sync/protocol';
import type { MemberRow } from '../db/schema';
import { clampHlc, type ApplyContext } from './apply-context';
import { transferOpening } from './ledger';
import { applied, duplicate, held, type OpOutcome, type TerminalIdentity } from './outcome';

/** Profile fields kept as last-writer-wins registers (phone_last4 follows phone). */
const REGISTER_FIELDS = ['name', 'birthday', 'phone', 'consent_marketing', 'consent_terms_at', 'status', 'status_reason'] as const;
type RegisterField = (typeof REGISTER_FIELDS)[number];
const PERSONAL_FIELDS: readonly RegisterField[] = ['name', 'birthday', 'phone'];

const PHONE_RE = /^\+\d{8,15}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

type FieldValue = string | number | null;

/** Whether a value may be written into a register; the server checks, the payload schema only types. */
function validValue(field: RegisterField, v: FieldValue): boolean {
  switch (field) {
    case 'name':
      return v === null || (typeof v === 'string' && v.length <= 60);
    case 'birthday':
      return v === null || (typeof v === 'string' && v.length <= 10);
    case 'phone':
      return v === null || (typeof v === 'string' && PHONE_RE.test(v));
    case 'consent_marketing':
      return v === 0 || v === 1;
    case 'consent_terms_at':
      return v === null || (typeof v === 'string' && INSTANT_RE.test(v));
    case 'status':
      return v === 'active' || v === 'blocked' || v === 'erased';
    case 'status_reason':
      return v === null || (typeof v === 'string' && v.length <= 200);
  }
}

async function setClock(ctx: ApplyContext, memberId: string, field: string, hlc: string, terminalId: string): Promise<void> {
  await ctx.trx
    .insertInto('member_field_clock')
    .values({ member_id: memberId, field, hlc, terminal_id: terminalId })
    .onConflict((oc) => oc.columns(['member_id', 'field']).doUpdateSet({ hlc, terminal_id: terminalId }))
    .execute();
}

async function clocksOf(ctx: ApplyContext, memberId: string): Promise<Map<string, { hlc: string; terminal_id: string }>> {
  const rows = await ctx.trx.selectFrom('member_field_clock').select(['field', 'hlc', 'terminal_id']).where('member_id', '=', memberId).execute();
  return new Map(rows.map((r) => [r.field, { hlc: r.hlc, terminal_id: r.terminal_id }]));
}

/**
 * A registration. A new id is inserted with a clock per profile field; the same id again is a
 * duplicate. When another live member already has the phone (two stores registered the same person
 * while offline), the two are merged: the smaller id (the earlier UUIDv7) survives.
 */
export async function applyMemberOp(ctx: ApplyContext, terminal: TerminalIdentity, p: MemberPayload): Promise<OpOutcome> {
  const { hlc, clamped } = clampHlc(p.hlc, ctx.nowMs);
  const reasons = clamped ? ['hlc_clamped'] : [];
  if (p.phone) await ctx.lockPhone(p.phone);
  const r = await ctx.trx
    .insertInto('member')
    .values({
      id: p.id,
      phone: p.phone,
      phone_last4: p.phone ? p.phone.slice(-4) : null,
      name: p.name,
      birthday: p.birthday,
      referrer_id: p.referrerId,
      consent_terms_at: p.consentTermsAt,
      consent_marketing: p.consentMarketing ? 1 : 0,
      status: 'active',
      status_reason: null,
      merged_into: null,
      diamond: 0,
      registered_at: p.registeredAt,
      registered_terminal: terminal.id,
      registered_store: terminal.storeId,
      balance: 0,
      received_at: ctx.nowIso,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return duplicate(reasons);
  for (const f of REGISTER_FIELDS) await setClock(ctx, p.id, f, hlc, terminal.id);
  if (p.phone) {
    const merged = await resolvePhone(ctx, p.id, p.phone);
    if (merged) return applied([...reasons, merged]);
  }
  await ctx.emitMember(p.id);
  return applied(reasons);
}

/**
 * When more than one live member holds `phone`, merges them all into the smallest id. Emits the
 * survivor first, then each merged member (so a terminal always knows `mergedInto` when it reads it).
 * Returns a reason for the op that caused it, or null when the phone was not shared.
 */
async function resolvePhone(ctx: ApplyContext, memberId: string, phone: string): Promise<string | null> {
  let q = ctx.trx.selectFrom('member').select('id').where('phone', '=', phone).where('status', 'not in', ['merged', 'erased']);
  if (ctx.dialect === 'postgres') q = q.forUpdate();
  const holders = (await q.execute()).map((r) => r.id).sort();
  if (holders.length < 2) return null;
  const [winner, ...losers] = holders as [string, ...string[]];
  await mergeMembers(ctx, winner, losers);
  return winner === memberId ? `merged_from:${losers.join(',')}` : `merged_into:${winner}`;
}

/**
 * Merges `losers` into `winner`: each loser lets go of its phone and becomes `merged` with
 * `mergedInto`; members merged into a loser earlier now point at the winner; open holds follow;
 * the loser's open lots and any debt move over with deterministic pairs of `adjust` entries; its
 * qualifying spend moves too. Everything lands on the feed, so every terminal converges.
 */
export async function mergeMembers(ctx: ApplyContext, winnerId: string, losers: readonly string[]): Promise<void> {
  await ctx.lockMember(winnerId);
  const repointed: string[] = [];
  for (const loserId of losers) {
    const loser = await ctx.lockMember(loserId);
    if (!loser || loser.status === 'merged') continue;
    const clocks = await clocksOf(ctx, loserId);
    await ctx.trx
      .updateTable('member')
      .set({ phone: null, phone_last4: null, status: 'merged', status_reason: `merged_into:${winnerId}`, merged_into: winnerId })
      .where('id', '=', loserId)
      .execute();
    for (const f of ['phone', 'status', 'status_reason'] as const) {
      await setClock(ctx, loserId, f, ctx.serverHlc(clocks.get(f)?.hlc), SERVER_TERMINAL_ID);
    }
    const chained = await ctx.trx.selectFrom('member').select('id').where('merged_into', '=', loserId).execute();
    if (chained.length > 0) {
      await ctx.trx.updateTable('member').set({ merged_into: winnerId, status_reason: `merged_into:${winnerId}` }).where('merged_into', '=', loserId).execute();
      repointed.push(...chained.map((c) => c.id));
    }
    await ctx.trx.updateTable('redemption_hold').set({ member_id: winnerId }).where('member_id', '=', loserId).where('status', '=', 'open').execute();
  }
  await ctx.emitMember(winnerId);
  for (const loserId of losers) await ctx.emitMember(loserId);
  for (const id of repointed) await ctx.emitMember(id);
  for (const loserId of losers) {
    await transferOpening(ctx, loserId, winnerId);
    await moveSpend(ctx, loserId, winnerId);
  }
}

async function moveSpend(ctx: ApplyContext, loserId: string, winnerId: string): Promise<void> {
  const rows = await ctx.trx.selectFrom('member_spend').select(['period', 'spend_minor']).where('member_id', '=', loserId).orderBy('period').execute();
  for (const r of rows) {
    const amount = Number(r.spend_minor);
    if (amount === 0) continue;
    await addSpend(ctx, loserId, r.period, -amount);
    await addSpend(ctx, winnerId, r.period, amount);
    ctx.emit({ kind: 'spend', memberId: loserId, period: r.period, deltaMinor: -amount, sourceTerminalId: SERVER_TERMINAL_ID }, loserId);
    ctx.emit({ kind: 'spend', memberId: winnerId, period: r.period, deltaMinor: amount, sourceTerminalId: SERVER_TERMINAL_ID }, winnerId);
  }
}

export async function addSpend(ctx: ApplyContext, memberId: string, period: string, delta: number): Promise<void> {
  await ctx.trx
    .insertInto('member_spend')
    .values({ member_id: memberId, period, spend_minor: delta })
    .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet({ spend_minor: sql`member_spend.spend_minor + ${delta}` }))
    .execute();
}

const COLUMN: Record<RegisterField, keyof MemberRow> = {
  name: 'name',
  birthday: 'birthday',
  phone: 'phone',
  consent_marketing: 'consent_marketing',
  consent_terms_at: 'consent_terms_at',
  status: 'status',
  status_reason: 'status_reason',
};

/**
 * Profile edits: each field is a last-writer-wins register ordered by HLC (the HLC string embeds
 * the node, and the terminal id breaks an exact tie). HLCs too far ahead of the server clock are
 * clamped first. Edits to a merged member go to the member it was merged into. Erasure wins over
 * later personal data (a register cannot bring an erased name back). The resolved member is always
 * put on the feed, also when the edit lost, so its maker learns the outcome.
 */
export async function applyMemberFields(ctx: ApplyContext, terminal: TerminalIdentity, p: MemberFieldsPayload): Promise<OpOutcome> {
  const first = await ctx.lockMember(p.memberId);
  if (!first) return held('unknown_member: the member is not known to the server');
  const reasons: string[] = [];
  const m = await ctx.lockEffective(first);
  if (m.id !== first.id) reasons.push(`redirected_to:${m.id}`);
  const { hlc, clamped } = clampHlc(p.hlc, ctx.nowMs);
  if (clamped) reasons.push('hlc_clamped');

  const newPhone = typeof p.fields.phone === 'string' ? p.fields.phone : null;
  if (newPhone) await ctx.lockPhone(newPhone);
  const clocks = await clocksOf(ctx, m.id);
  const update: Record<string, FieldValue> = {};
  const won: RegisterField[] = [];
  for (const [key, value] of Object.entries(p.fields) as [string, FieldValue][]) {
    if (key === 'phone_last4') continue;
    const field = key as RegisterField;
    if (!REGISTER_FIELDS.includes(field)) continue;
    if (!validValue(field, value)) {
      reasons.push(`invalid_value:${field}`);
      continue;
    }
    if (m.status === 'erased' && ((PERSONAL_FIELDS.includes(field) && value !== null) || (field === 'status' && value !== 'erased'))) {
      reasons.push(`erased:${field}`);
      continue;
    }
    const cur = clocks.get(field);
    if (cur && !(hlc > cur.hlc || (hlc === cur.hlc && terminal.id > cur.terminal_id))) {
      reasons.push(`older:${field}`);
      continue;
    }
    update[COLUMN[field]] = value;
    won.push(field);
  }
  if (update.status === 'erased') {
    // Erasure anonymises the profile whatever the other registers say.
    Object.assign(update, { name: null, birthday: null, phone: null, consent_marketing: 0 });
    for (const f of ['name', 'birthday', 'phone', 'consent_marketing'] as const) if (!won.includes(f)) won.push(f);
  }
  if ('phone' in update) update.phone_last4 = typeof update.phone === 'string' ? update.phone.slice(-4) : null;
  if (won.length > 0) {
    await ctx.trx.updateTable('member').set(update).where('id', '=', m.id).execute();
    for (const f of won) {
      const cur = clocks.get(f);
      const fieldHlc = cur && cur.hlc > hlc ? ctx.serverHlc(cur.hlc) : hlc;
      await setClock(ctx, m.id, f, fieldHlc, fieldHlc === hlc ? terminal.id : SERVER_TERMINAL_ID);
    }
  }
  const merged = typeof update.phone === 'string' && update.phone !== m.phone ? await resolvePhone(ctx, m.id, update.phone) : null;
  if (merged) reasons.push(merged);
  else await ctx.emitMember(m.id);
  return applied(reasons);
}
