import type { DrawerCloseDto, DrawerEventDto } from '../../src-shared/api/contract-money';
import { countDrawer, type DrawerCount } from '../../src-shared/tenders/denominations';
import { describeError, isLinkFailure, localError, type UiError } from '../i18n/errors';
import { createFormatter, currencyDigits, parseMoneyInput } from '../i18n/format';
import type { MessageKey } from '../i18n/messages/en';
import type { Approval } from './approval.slice';
import type { SliceCreator } from './types';

/** What a cashier does with an open drawer; each is a key on the drawer screen (Alt+1…). */
export const DRAWER_TASKS = ['payIn', 'payOut', 'pickup', 'noSale', 'close'] as const;
export type DrawerTask = (typeof DRAWER_TASKS)[number];

export interface DrawerScreenState {
  /** The task chosen while the drawer is open (null: none yet). Opening the drawer needs no task. */
  task: DrawerTask | null;
  /** The count as typed, by denomination in minor units (opening float, pick-up, closing count). */
  counts: Record<string, string>;
  /** Pay-in or pay-out amount as typed. */
  amount: string;
  reason: string;
  sending: boolean;
  /** The idempotency key of the action being done: kept until it is confirmed (a retry after a lost answer is the same action). */
  key: string;
  error: UiError | null;
  /** The last action done, for its confirmation. */
  last: DrawerEventDto | null;
  /** The blind close's answer: the count, and only now the expected cash and the over/short. */
  closed: DrawerCloseDto | null;
}

export interface DrawerSlice {
  drawerScreen: DrawerScreenState;
  /** F5: the drawer screen; its status and the store's notes and coins are loaded again. */
  drawerScreenOpened(): Promise<void>;
  drawerTaskChosen(task: DrawerTask): void;
  drawerCountChanged(denominationMinor: number, text: string): void;
  drawerAmountChanged(text: string): void;
  drawerReasonChanged(text: string): void;
  /** Opens the drawer with the float counted by denomination. */
  drawerOpenSubmitted(): Promise<void>;
  /** Does the chosen task (pay-in, pay-out and no-sale with a manager's approval). */
  drawerTaskSubmitted(): Promise<void>;
}

export interface CountView extends DrawerCount {
  /** The counts as the core takes them: whole numbers, blanks left out. */
  counts: Record<string, number>;
  /** Denominations whose field is not a whole number of notes or coins. */
  invalid: number[];
}

/** The typed count read as whole numbers, totalled by the shared drawer rules (countDrawer). */
export function countView(texts: Record<string, string>, denominations: readonly number[]): CountView {
  const counts: Record<string, number> = {};
  const invalid: number[] = [];
  for (const d of denominations) {
    const text = (texts[String(d)] ?? '').trim();
    if (text === '') continue;
    if (!/^\d{1,6}$/.test(text)) {
      invalid.push(d);
      continue;
    }
    counts[String(d)] = Number(text);
  }
  return { ...countDrawer(counts, denominations), counts, invalid };
}

const TASK_PURPOSE: Partial<Record<DrawerTask, MessageKey>> = {
  payIn: 'approval.purpose.payIn',
  payOut: 'approval.purpose.payOut',
  noSale: 'approval.purpose.noSale',
};

const NOTICE: Record<DrawerEventDto['kind'], MessageKey> = {
  open: 'notice.drawerOpened',
  pay_in: 'notice.drawerPaidIn',
  pay_out: 'notice.drawerPaidOut',
  pickup: 'notice.drawerPickedUp',
  no_sale: 'notice.drawerNoSale',
  close: 'notice.drawerClosed',
};

export const createDrawerSlice: SliceCreator<DrawerSlice> = ({ api, newKey }) => (set, get) => {
  const patch = (p: Partial<DrawerScreenState>): void => set({ drawerScreen: { ...get().drawerScreen, ...p } });
  const denominations = (): number[] => get().money.config?.denominations ?? [];
  const digits = (): number => currencyDigits(get().terminal.info?.currency ?? 'CNY');
  /** An amount in the screen's language, for the manager prompt's words. */
  const money = (minor: number): string => createFormatter(get().settings.language, get().terminal.info?.currency ?? 'CNY', get().terminal.info?.timeZone ?? 'Asia/Shanghai').money(minor);

  /** Runs one drawer action with the screen's key; the key is kept until the action is confirmed. */
  const run = async <T extends DrawerEventDto>(call: (key: string) => Promise<T | null>): Promise<T | null> => {
    const key = get().drawerScreen.key;
    patch({ sending: true, error: null });
    try {
      const done = await call(key);
      if (!done) {
        patch({ sending: false }); // the manager prompt was cancelled: nothing was done
        return null;
      }
      patch({ sending: false, key: newKey(), counts: {}, amount: '', reason: '', task: null, last: done });
      get().noticeShown(NOTICE[done.kind], {}, 'success');
      await get().drawerStatusRefreshed();
      return done;
    } catch (e) {
      // A lost answer keeps the key: sent again, the core answers with what it did the first time.
      patch({ sending: false, error: describeError(e), ...(isLinkFailure(e) ? {} : { key: newKey() }) });
      if (!isLinkFailure(e)) void get().drawerStatusRefreshed();
      return null;
    }
  };

  const readCount = (): CountView | null => {
    const view = countView(get().drawerScreen.counts, denominations());
    if (view.invalid.length > 0) {
      patch({ error: localError('drawer.countInvalid') });
      return null;
    }
    return view;
  };

  return {
    drawerScreen: { task: null, counts: {}, amount: '', reason: '', sending: false, key: newKey(), error: null, last: null, closed: null },

    async drawerScreenOpened() {
      patch({ error: null });
      await get().moneyRefreshRequested();
    },

    drawerTaskChosen(task) {
      if (get().drawerScreen.sending) return;
      patch({ task, counts: {}, amount: '', reason: '', error: null, closed: null });
    },

    drawerCountChanged(denominationMinor, text) {
      patch({ counts: { ...get().drawerScreen.counts, [String(denominationMinor)]: text.replace(/[^\d]/g, '').slice(0, 6) }, error: null });
    },

    drawerAmountChanged(text) {
      patch({ amount: text, error: null });
    },

    drawerReasonChanged(text) {
      patch({ reason: text, error: null });
    },

    async drawerOpenSubmitted() {
      const d = get().drawerScreen;
      if (d.sending) return;
      const count = readCount();
      if (!count) return;
      patch({ closed: null });
      await run((key) => api['drawer.open']({ idempotencyKey: key, counts: count.counts }));
    },

    async drawerTaskSubmitted() {
      const d = get().drawerScreen;
      if (d.sending || !d.task) return;
      const task = d.task;
      if (task === 'pickup' || task === 'close') {
        const count = readCount();
        if (!count) return;
        if (task === 'pickup') {
          if (count.totalMinor === 0) return patch({ error: localError('drawer.countEmpty') });
          await run((key) => api['drawer.pickup']({ idempotencyKey: key, counts: count.counts }));
          return;
        }
        // The blind close: the count goes in first; what the till expected comes back with the answer.
        const closed = await run((key) => api['drawer.close']({ idempotencyKey: key, counts: count.counts }));
        if (closed) patch({ closed });
        return;
      }
      const reason = d.reason.trim();
      if (!reason) return patch({ error: localError('drawer.reasonNeeded') });
      let amountMinor = 0;
      if (task !== 'noSale') {
        const parsed = parseMoneyInput(d.amount, digits());
        if (parsed === null || parsed <= 0) return patch({ error: localError('checkout.amountInvalid') });
        amountMinor = parsed;
      }
      const purpose = TASK_PURPOSE[task]!;
      await run((key) =>
        get().approvalRequested(
          purpose,
          (approval: Approval) =>
            task === 'payIn'
              ? api['drawer.payIn']({ idempotencyKey: key, amountMinor, reason, approval })
              : task === 'payOut'
                ? api['drawer.payOut']({ idempotencyKey: key, amountMinor, reason, approval })
                : api['drawer.noSale']({ idempotencyKey: key, reason, approval }),
          { amount: task === 'noSale' ? '' : money(amountMinor), reason },
        ),
      );
    },
  };
};
