import type { Screen } from '../state/nav.slice';

/**
 * The till's keyboard: every action has a key, shown next to its button. Pure, so it is tested
 * without a browser. Function keys work from any field (scanner and typing never produce them);
 * Alt+letter works everywhere too.
 */
export type Command =
  | { kind: 'screen'; screen: Screen }
  | { kind: 'focus'; target: FocusTarget }
  | { kind: 'complete' }
  | { kind: 'nextCustomer' }
  | { kind: 'redeemMax' }
  | { kind: 'lock' }
  | { kind: 'customerDisplay' }
  | { kind: 'quickCategory'; index: number }
  /** At the payment step: the n-th quick-cash key (the notes a customer hands over). */
  | { kind: 'quickCash'; index: number }
  | { kind: 'escape' };

export type FocusTarget = 'member' | 'amount' | 'redeem';

/** Element ids the focus commands move to. */
export const FOCUS_IDS: Record<FocusTarget, string> = { member: 'member-query', amount: 'amount-input', redeem: 'redeem-input' };

export const SHORTCUT_LABELS = {
  checkout: 'F1',
  member: 'F2',
  amount: 'F3',
  redeem: 'F4',
  drawer: 'F5',
  refund: 'F6',
  members: 'F7',
  reports: 'F8',
  complete: 'F9',
  settings: 'F10',
  nextCustomer: 'Alt+N',
  redeemMax: 'Alt+M',
  lock: 'Alt+L',
  customerDisplay: 'Alt+D',
  escape: 'Esc',
} as const;

/** The quick-cash keys at the payment step, left to right: the row of keys under 1 to 4. */
export const QUICK_CASH_LABELS = ['Alt+Q', 'Alt+W', 'Alt+E', 'Alt+R'] as const;
const QUICK_CASH_LETTERS = ['q', 'w', 'e', 'r'];

export const SCREEN_SHORTCUTS: Record<Screen, string> = {
  checkout: SHORTCUT_LABELS.checkout,
  drawer: SHORTCUT_LABELS.drawer,
  refund: SHORTCUT_LABELS.refund,
  members: SHORTCUT_LABELS.members,
  reports: SHORTCUT_LABELS.reports,
  settings: SHORTCUT_LABELS.settings,
};

export interface KeyLike {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey?: boolean;
}

export function shortcutOf(e: KeyLike): Command | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (!e.altKey) {
    switch (e.key) {
      case 'F1':
        return { kind: 'screen', screen: 'checkout' };
      case 'F2':
        return { kind: 'focus', target: 'member' };
      case 'F3':
        return { kind: 'focus', target: 'amount' };
      case 'F4':
        return { kind: 'focus', target: 'redeem' };
      case 'F5':
        return { kind: 'screen', screen: 'drawer' };
      case 'F6':
        return { kind: 'screen', screen: 'refund' };
      case 'F7':
        return { kind: 'screen', screen: 'members' };
      case 'F8':
        return { kind: 'screen', screen: 'reports' };
      case 'F9':
        return { kind: 'complete' };
      case 'F10':
        return { kind: 'screen', screen: 'settings' };
      case 'Escape':
        return { kind: 'escape' };
      default:
        return null;
    }
  }
  // Alt+letter: match the physical key too, so a Chinese input method or layout does not matter.
  const letter = e.code?.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
  const digit = e.code?.startsWith('Digit') ? e.code.slice(5) : /^\d$/.test(e.key) ? e.key : null;
  if (digit && digit !== '0') return { kind: 'quickCategory', index: Number(digit) - 1 };
  const quick = QUICK_CASH_LETTERS.indexOf(letter);
  if (quick >= 0) return { kind: 'quickCash', index: quick };
  switch (letter) {
    case 'n':
      return { kind: 'nextCustomer' };
    case 'm':
      return { kind: 'redeemMax' };
    case 'l':
      return { kind: 'lock' };
    case 'd':
      return { kind: 'customerDisplay' };
    default:
      return null;
  }
}
