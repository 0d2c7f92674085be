import { previousMonth } from './dates';

/**
 * A member's qualifying spend in the two months a tier is evaluated on, as the member row keeps
 * it: `period` is the month of `current`, `previous` is the month before. Months are 'YYYY-MM'
 * (they sort as dates). Older months decide no tier and are not kept.
 */
export interface SpendWindow {
  period: string | null;
  current: number;
  previous: number;
}

export const NO_SPEND: SpendWindow = { period: null, current: 0, previous: 0 };

/** The window after `deltaMinor` of spend in `month` (a sale, a refund, another till's spend). */
export function addSpend(w: SpendWindow, month: string, deltaMinor: number): SpendWindow {
  if (w.period === null) return { period: month, current: deltaMinor, previous: 0 };
  if (month === w.period) return { ...w, current: w.current + deltaMinor };
  if (month === previousMonth(w.period)) return { ...w, previous: w.previous + deltaMinor };
  if (month > w.period) return { period: month, current: deltaMinor, previous: previousMonth(month) === w.period ? w.current : 0 };
  return w;
}

/** Spend in `month` and the month before it, as far as the window knows them. */
export function spendsIn(w: SpendWindow, month: string): { current: number; previous: number } {
  if (w.period === null) return { current: 0, previous: 0 };
  if (w.period === month) return { current: w.current, previous: w.previous };
  if (w.period === previousMonth(month)) return { current: 0, previous: w.current };
  // A window ahead of `month` (a clock ahead elsewhere): only its previous month can be `month`.
  if (previousMonth(w.period) === month) return { current: w.previous, previous: 0 };
  return { current: 0, previous: 0 };
}

/** The window without the spend of `month` and later (the months a snapshot page restates). */
export function spendBefore(w: SpendWindow, month: string): SpendWindow {
  if (w.period === null || w.period < month) return w;
  const prev = previousMonth(w.period);
  return prev < month ? { period: prev, current: w.previous, previous: 0 } : NO_SPEND;
}
