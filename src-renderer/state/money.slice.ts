import type { DrawerStatusDto, TenderConfigDto } from '../../src-shared/api/contract-money';
import type { TenderType } from '../../src-shared/tenders/tender-types';
import type { Locale } from '../i18n/format';
import { describeError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

/**
 * What the till knows of taking the money: the store's tender settings (`tenders.config`) and
 * whether a cash drawer session is open (`drawer.status`, never the cash it holds). Both need a
 * signed-in staff member; until they are known, or when the core has no money area, the till
 * behaves as a loyalty-only till (no payment step).
 */
export interface MoneyState {
  config: TenderConfigDto | null;
  drawer: DrawerStatusDto | null;
  error: UiError | null;
}

export interface MoneySlice {
  money: MoneyState;
  /** Someone signed in (or the app started signed in): load the tender settings and the drawer's status. */
  moneyRefreshRequested(): Promise<void>;
  /** The drawer may have opened or closed (here or in another window on this till). */
  drawerStatusRefreshed(): Promise<void>;
}

export const initialMoney: MoneyState = { config: null, drawer: null, error: null };

/** The till takes the money: a sale is completed through the payment step. */
export function paymentsAtTill(m: MoneyState): boolean {
  return m.config?.paymentsAtTill === true;
}

/** The tender types a cashier can take a new payment with, in the store's order. */
export function activeTenders(config: TenderConfigDto | null): TenderType[] {
  return config ? config.config.tenderTypes.filter((t) => t.active) : [];
}

/** A tender's name in the screen's language; the code when the store no longer lists it. */
export function tenderName(config: TenderConfigDto | null, code: string, locale: Locale): string {
  return config?.config.tenderTypes.find((t) => t.code === code)?.names[locale] ?? code;
}

/** The tender takes a reference (required, or checked by a pattern when given): the payment screen shows the field. */
export function takesReference(t: TenderType | undefined): boolean {
  return !!t && (t.referenceRequired || t.referencePattern !== undefined || t.referenceLabel !== undefined);
}

export const createMoneySlice: SliceCreator<MoneySlice> = ({ api }) => (set, get) => {
  const patch = (p: Partial<MoneyState>): void => set({ money: { ...get().money, ...p } });
  return {
    money: initialMoney,
    async moneyRefreshRequested() {
      if (get().session.current === null) return;
      try {
        const [config, drawer] = await Promise.all([api['tenders.config']({}), api['drawer.status']({})]);
        patch({ config, drawer, error: null });
      } catch (e) {
        // A core without the money area (or a failure): the till goes on as a loyalty-only till.
        patch({ error: describeError(e) });
      }
    },
    async drawerStatusRefreshed() {
      if (get().session.current === null) return;
      try {
        patch({ drawer: await api['drawer.status']({}) });
      } catch {
        // the header keeps what it showed; the next poll tries again
      }
    },
  };
};
