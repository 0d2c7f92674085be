import type { LedgerEntryDto, MemberDto, MemberExportDto, MemberSummaryDto, RevealDto, RewardRedemptionDto, RuleSetDto, ScanOutcomeDto } from '../../src-shared/api/dto';
import { classifyScan } from '../../src-shared/cards/classify';
import { maskCardCode } from '../../src-shared/privacy/mask';
import { describeError, errorCodeOf, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export interface RegisterForm {
  phone: string;
  name: string;
  /** `YYYY-MM-DD`, `--MM-DD` or empty. */
  birthday: string;
  referrer: string;
  cardCode: string;
  consentTerms: boolean;
  consentMarketing: boolean;
}

export const EMPTY_REGISTER_FORM: RegisterForm = { phone: '', name: '', birthday: '', referrer: '', cardCode: '', consentTerms: false, consentMarketing: false };

/**
 * The card dialog on the member's page: replace a lost or damaged card (picked by its id, since
 * only masked numbers are shown), or give a first card to a member who has none. A scan while it
 * is open lands here (shown masked), not in the member search.
 */
export interface CardDialogState {
  open: boolean;
  /** The card to replace; '' when the member has no card (the new card is simply added). */
  cardId: string;
  reason: 'lost' | 'damaged';
  /** What the field shows: the typed text, or the masked number of a scanned card. */
  text: string;
  /** The scanned card's code (never shown); null when the number was typed. */
  scanned: string | null;
  /** One key per replacement: a retry after a lost answer replays instead of replacing twice. */
  key: string;
  status: 'idle' | 'saving';
  error: UiError | null;
}

export interface MembersState {
  status: 'idle' | 'searching' | 'done' | 'error';
  /** What was looked up last and how. */
  query: string;
  mode: 'find' | 'scan' | null;
  /** Masked summaries: search hits, or the one member a scan found. */
  results: MemberSummaryDto[];
  /** The last scan's outcome (member, unknown card, product barcode). */
  scan: ScanOutcomeDto | null;
  error: UiError | null;
  /** The member opened on the members screen. */
  selected: MemberDto | null;
  history: LedgerEntryDto[];
  historyStatus: 'idle' | 'loading' | 'more' | 'end' | 'error';
  /** Unmasked details, after a manager's audited reveal; cleared when another member is opened. */
  revealed: RevealDto | null;
  /** The registration form's last outcome. */
  register: { status: 'idle' | 'saving' | 'error'; error: UiError | null; key: string; prefill: Partial<RegisterForm> | null };
  /** A member action's outcome (card replaced, exported, erased...). */
  actionError: UiError | null;
  busy: boolean;
  /** The last export, ready to save as a file. */
  exported: MemberExportDto | null;
  /** registering: the form is open. */
  view: 'search' | 'member' | 'register';
  /** The reward catalogue in force today (loaded once). */
  rewards: RuleSetDto['rewards'];
  cardDialog: CardDialogState;
}

export interface MembersSlice {
  members: MembersState;
  /** The cashier typed something (card number, phone, last four digits, name) and pressed Search. */
  memberSearchSubmitted(query: string): Promise<void>;
  /** A raw code from a scanner (or typed as one): barcode, track 2, NFC UID. */
  memberCodeScanned(raw: string): Promise<void>;
  memberLookupCleared(): void;
  memberOpened(memberId: string): Promise<void>;
  memberHistoryMoreRequested(): Promise<void>;
  memberRevealRequested(): Promise<void>;
  memberExportRequested(): Promise<MemberExportDto | null>;
  memberEraseRequested(): Promise<void>;
  /** The card dialog opens on the selected member: the first card in use is picked. */
  cardDialogOpened(): void;
  cardDialogClosed(): void;
  cardToReplaceChosen(cardId: string): void;
  cardReplaceReasonChosen(reason: CardDialogState['reason']): void;
  /** The cashier types the new card's number. */
  newCardTyped(text: string): void;
  /** A scanner read the new card while the dialog is open (a misread or a product code is said in words). */
  newCardScanned(raw: string): void;
  /** Replace the picked card by the new one (or add it, for a member without a card); the balance stays. */
  cardDialogSubmitted(): Promise<boolean>;
  /** A pre-printed card activated as an anonymous member, opened on the members screen. */
  memberCardActivated(code: string): Promise<void>;
  registrationOpened(prefill?: Partial<RegisterForm>): void;
  registrationCancelled(): void;
  /** The form was submitted; resolves to the new member (also used at checkout). */
  registrationSubmitted(form: RegisterForm): Promise<MemberDto | null>;
  membersScreenReset(): void;
  /** A reward from the catalogue for the member's points (a manager approves a risk hold). */
  memberRewardRedeemed(rewardId: string): Promise<boolean>;
  /** A manager adds or removes points by hand, with a reason (audited). */
  memberPointsAdjusted(points: number, reason: string): Promise<boolean>;
  /** A manager blocks (fraud) or unblocks the member, with a reason (audited). */
  memberBlockToggled(reason: string): Promise<boolean>;
}

export const initialMembersState = (key: string): MembersState => ({
  status: 'idle',
  query: '',
  mode: null,
  results: [],
  scan: null,
  error: null,
  selected: null,
  history: [],
  historyStatus: 'idle',
  revealed: null,
  register: { status: 'idle', error: null, key, prefill: null },
  actionError: null,
  busy: false,
  exported: null,
  view: 'search',
  rewards: [],
  cardDialog: closedCardDialog(key),
});

const closedCardDialog = (key: string): CardDialogState => ({ open: false, cardId: '', reason: 'lost', text: '', scanned: null, key, status: 'idle', error: null });

/** The card a replacement starts with: the first one in use, else the first one. */
export function defaultCardToReplace(member: MemberDto): string {
  return (member.cards.find((c) => c.status === 'active') ?? member.cards[0])?.id ?? '';
}

const HISTORY_PAGE = 20;

/** Checks the registration form before sending; returns the first problem as a message key. */
export function validateRegisterForm(f: RegisterForm): UiError | null {
  if (f.phone.replace(/\D/g, '').length < 7) return localError('register.phoneRequired');
  if (f.birthday && !/^(\d{4}-|--)\d{2}-\d{2}$/.test(f.birthday.trim())) return localError('register.birthdayFormat');
  if (!f.consentTerms) return localError('register.consentRequired');
  return null;
}

export const createMembersSlice: SliceCreator<MembersSlice> = ({ api, newKey }) => (set, get) => {
  const patch = (p: Partial<MembersState>): void => set({ members: { ...get().members, ...p } });
  // Only the newest lookup may write its answer (a slow search must not overwrite a later scan).
  let latest = 0;
  const run = async (query: string, mode: 'find' | 'scan', call: () => Promise<{ results: MemberSummaryDto[]; scan: ScanOutcomeDto | null }>): Promise<void> => {
    const ticket = ++latest;
    patch({ status: 'searching', query, mode, results: [], scan: null, error: null, view: 'search' });
    try {
      const { results, scan } = await call();
      if (ticket === latest) patch({ status: 'done', results, scan });
    } catch (e) {
      if (ticket === latest) patch({ status: 'error', error: describeError(e) });
    }
  };
  const selectedId = (): string | null => get().members.selected?.id ?? null;
  const patchDialog = (p: Partial<CardDialogState>): void => patch({ cardDialog: { ...get().members.cardDialog, ...p } });
  return {
    members: initialMembersState(newKey()),
    async memberSearchSubmitted(query) {
      const q = query.trim();
      if (!q) return patch({ status: 'error', error: localError('members.typeSomething'), results: [], scan: null });
      await run(q, 'find', async () => ({ results: await api['members.find']({ query: q, by: 'auto', limit: 20 }), scan: null }));
      const m = get().members;
      if (m.status === 'done' && m.results.length === 1) await get().memberOpened(m.results[0]!.id);
    },
    async memberCodeScanned(raw) {
      if (!raw.trim()) return patch({ status: 'error', error: localError('members.scanSomething'), results: [], scan: null });
      await run(raw, 'scan', async () => {
        const scan = await api['members.scan']({ raw });
        return { results: scan.kind === 'member' ? [scan.member] : [], scan };
      });
      const m = get().members;
      if (m.scan?.kind === 'member') {
        patch({ selected: m.scan.member, revealed: null, exported: null, actionError: null, view: 'member', cardDialog: closedCardDialog(newKey()) });
        await loadHistory(m.scan.member.id, undefined);
      }
    },
    memberLookupCleared() {
      latest++;
      patch({ status: 'idle', query: '', mode: null, results: [], scan: null, error: null });
    },
    async memberOpened(memberId) {
      patch({ busy: true, actionError: null });
      try {
        const member = await api['members.get']({ memberId });
        patch({ selected: member, revealed: null, exported: null, busy: false, view: 'member', history: [], historyStatus: 'loading', cardDialog: closedCardDialog(newKey()) });
        if (get().members.rewards.length === 0) void loadRewards();
        await loadHistory(memberId, undefined);
      } catch (e) {
        patch({ busy: false, actionError: describeError(e) });
      }
    },
    async memberHistoryMoreRequested() {
      const id = selectedId();
      const last = get().members.history.at(-1);
      if (!id || !last) return;
      await loadHistory(id, last.createdAt);
    },
    async memberRevealRequested() {
      const id = selectedId();
      if (!id) return;
      try {
        const revealed = await get().approvalRequested('approval.purpose.reveal', (approval) => api['members.reveal']({ memberId: id, approval }));
        if (revealed && selectedId() === id) patch({ revealed });
      } catch (e) {
        patch({ actionError: describeError(e) });
      }
    },
    async memberExportRequested() {
      const id = selectedId();
      if (!id) return null;
      try {
        const exported = await get().approvalRequested('approval.purpose.export', (approval) => api['members.export']({ memberId: id, approval }));
        if (exported) patch({ exported });
        return exported;
      } catch (e) {
        patch({ actionError: describeError(e) });
        return null;
      }
    },
    async memberEraseRequested() {
      const id = selectedId();
      if (!id) return;
      try {
        const erased = await get().approvalRequested('approval.purpose.erase', (approval) => api['members.erase']({ memberId: id, approval }));
        if (erased) {
          patch({ selected: erased, revealed: null });
          get().noticeShown('notice.memberErased', {}, 'success');
        }
      } catch (e) {
        patch({ actionError: describeError(e) });
      }
    },
    cardDialogOpened() {
      const m = get().members.selected;
      if (!m) return;
      const previous = get().members.cardDialog;
      patch({ cardDialog: { ...closedCardDialog(previous.key), open: true, cardId: defaultCardToReplace(m) }, actionError: null });
    },
    cardDialogClosed() {
      patch({ cardDialog: { ...get().members.cardDialog, open: false, error: null, status: 'idle' } });
    },
    cardToReplaceChosen(cardId) {
      patchDialog({ cardId, error: null });
    },
    cardReplaceReasonChosen(reason) {
      patchDialog({ reason, error: null });
    },
    newCardTyped(text) {
      patchDialog({ text, scanned: null, error: null });
    },
    newCardScanned(raw) {
      const r = classifyScan(raw);
      if (r.kind === 'member_card') return patchDialog({ text: maskCardCode(r.code), scanned: r.code, error: null });
      const error =
        r.kind === 'product'
          ? localError('members.productNotCard', { code: r.ean13 })
          : localError(r.reason === 'bad_luhn' ? 'error.INVALID_CARD_NUMBER' : 'error.UNRECOGNISED_SCAN');
      patchDialog({ text: '', scanned: null, error });
    },
    async cardDialogSubmitted() {
      const member = get().members.selected;
      const d = get().members.cardDialog;
      if (!member || !d.open || d.status === 'saving') return false;
      const newCardCode = d.scanned ?? d.text.trim();
      if (!newCardCode) return (patchDialog({ error: localError('members.newCardRequired') }), false);
      const replacing = member.cards.length > 0;
      if (replacing && !member.cards.some((c) => c.id === d.cardId)) return (patchDialog({ error: localError('members.chooseCard') }), false);
      patchDialog({ status: 'saving', error: null });
      try {
        if (replacing) {
          const r = await api['members.replaceCard']({ idempotencyKey: d.key, memberId: member.id, cardId: d.cardId, newCardCode, reason: d.reason });
          if (selectedId() === member.id) patch({ selected: r.member });
          get().noticeShown('notice.cardReplaced', { old: r.oldCard.maskedCode, card: r.newCard.maskedCode }, 'success');
        } else {
          const m = await api['members.addCard']({ memberId: member.id, cardCode: newCardCode });
          if (selectedId() === member.id) patch({ selected: m });
          get().noticeShown('notice.cardAdded', { card: m.cards.at(-1)?.maskedCode ?? '' }, 'success');
        }
        patch({ cardDialog: closedCardDialog(newKey()) });
        return true;
      } catch (e) {
        // Nothing was changed (or, for a lost answer, the same key replays it): the dialog stays open.
        patchDialog({ status: 'idle', error: describeError(e) });
        return false;
      }
    },
    async memberCardActivated(code) {
      patch({ busy: true, actionError: null });
      try {
        const member = await api['members.activateCard']({ idempotencyKey: newKey(), cardCode: code });
        patch({ selected: member, busy: false, view: 'member', history: [], historyStatus: 'end', revealed: null });
        get().noticeShown('notice.cardActivated', { card: member.cards[0]?.maskedCode ?? '' }, 'success');
      } catch (e) {
        patch({ busy: false, actionError: describeError(e) });
      }
    },
    registrationOpened(prefill) {
      patch({ view: 'register', register: { status: 'idle', error: null, key: newKey(), prefill: prefill ?? null } });
    },
    registrationCancelled() {
      patch({ view: get().members.selected ? 'member' : 'search', register: { ...get().members.register, status: 'idle', error: null } });
    },
    async registrationSubmitted(form) {
      const problem = validateRegisterForm(form);
      const reg = get().members.register;
      if (problem) {
        patch({ register: { ...reg, status: 'error', error: problem } });
        return null;
      }
      patch({ register: { ...reg, status: 'saving', error: null } });
      try {
        const member = await api['members.register']({
          idempotencyKey: reg.key,
          phone: form.phone.trim(),
          name: form.name.trim() || null,
          birthday: form.birthday.trim() || null,
          referrer: form.referrer.trim() || null,
          cardCode: form.cardCode.trim() || null,
          consentTerms: true,
          consentMarketing: form.consentMarketing,
        });
        patch({ register: { status: 'idle', error: null, key: newKey(), prefill: null }, selected: member, revealed: null, view: 'member', history: [], historyStatus: 'loading' });
        get().noticeShown('notice.memberRegistered', { name: member.maskedName ?? member.maskedPhone ?? '' }, 'success');
        void loadHistory(member.id, undefined);
        return member;
      } catch (e) {
        patch({ register: { ...get().members.register, status: 'error', error: describeError(e) } });
        return null;
      }
    },
    membersScreenReset() {
      latest++;
      set({ members: { ...initialMembersState(newKey()), rewards: get().members.rewards } });
    },
    async memberRewardRedeemed(rewardId) {
      const id = selectedId();
      if (!id) return false;
      const reward = get().members.rewards.find((r) => r.id === rewardId);
      const key = newKey();
      patch({ busy: true, actionError: null });
      try {
        let done: RewardRedemptionDto | null;
        try {
          done = await api['rewards.redeem']({ idempotencyKey: key, memberId: id, rewardId });
        } catch (e) {
          const code = errorCodeOf(e);
          if (code !== 'RISK_HOLD' && code !== 'OFFLINE_REDEMPTION_LIMIT') throw e;
          // The first attempt wrote nothing: the same key goes with the manager's approval.
          done = await get().approvalRequested('approval.purpose.reward', (approval) => api['rewards.redeem']({ idempotencyKey: key, memberId: id, rewardId, approval }), {
            name: reward?.name ?? rewardId,
          });
        }
        patch({ busy: false });
        if (!done) return false;
        get().noticeShown('notice.rewardRedeemed', { name: done.reward.name, points: done.balanceAfter }, 'success');
        await refreshSelected(id);
        return true;
      } catch (e) {
        patch({ busy: false, actionError: describeError(e) });
        return false;
      }
    },
    async memberPointsAdjusted(points, reason) {
      const id = selectedId();
      if (!id) return false;
      if (!Number.isInteger(points) || points === 0 || Math.abs(points) > 1_000_000) return (patch({ actionError: localError('members.adjustPointsInvalid') }), false);
      if (reason.trim().length < 3) return (patch({ actionError: localError('members.reasonRequired') }), false);
      const key = newKey();
      try {
        const done = await get().approvalRequested(
          'approval.purpose.adjust',
          (approval) => api['points.adjust']({ idempotencyKey: key, memberId: id, points, reason: reason.trim(), approval }),
          { points },
        );
        if (!done) return false;
        get().noticeShown('notice.pointsAdjusted', { points: done.balanceAfter }, 'success');
        await refreshSelected(id);
        return true;
      } catch (e) {
        patch({ actionError: describeError(e) });
        return false;
      }
    },
    async memberBlockToggled(reason) {
      const m = get().members.selected;
      if (!m) return false;
      if (reason.trim().length < 3) return (patch({ actionError: localError('members.reasonRequired') }), false);
      const blocking = m.status !== 'blocked';
      try {
        const done = await get().approvalRequested(blocking ? 'approval.purpose.block' : 'approval.purpose.unblock', (approval) =>
          api[blocking ? 'members.block' : 'members.unblock']({ memberId: m.id, reason: reason.trim(), approval }),
        );
        if (!done) return false;
        patch({ selected: done });
        get().noticeShown(blocking ? 'notice.memberBlocked' : 'notice.memberUnblocked', {}, 'success');
        return true;
      } catch (e) {
        patch({ actionError: describeError(e) });
        return false;
      }
    },
  };

  async function refreshSelected(memberId: string): Promise<void> {
    try {
      const member = await api['members.get']({ memberId });
      if (selectedId() === memberId) patch({ selected: member });
    } catch {
      // the member is still shown as it was
    }
    await loadHistory(memberId, undefined);
  }

  async function loadRewards(): Promise<void> {
    try {
      patch({ rewards: await api['rewards.list']({}) });
    } catch {
      // no catalogue today: the rewards section stays empty
    }
  }

  async function loadHistory(memberId: string, before: string | undefined): Promise<void> {
    patch({ historyStatus: 'loading' });
    try {
      const page = await api['members.history']({ memberId, limit: HISTORY_PAGE, ...(before ? { before } : {}) });
      if (selectedId() !== memberId) return;
      const history = before ? [...get().members.history, ...page] : page;
      patch({ history, historyStatus: page.length < HISTORY_PAGE ? 'end' : 'more' });
    } catch (e) {
      if (selectedId() === memberId) patch({ historyStatus: 'error', actionError: describeError(e) });
    }
  }
};
