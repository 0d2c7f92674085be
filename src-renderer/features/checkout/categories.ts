import type { MessageKey } from '../../i18n/messages/en';

/**
 * Quick-amount categories for the counter (the demo store's departments). Alt+1 ... Alt+9 add the
 * typed amount to the first nine. Unknown categories (from product lines) show as they are.
 */
export const QUICK_CATEGORIES = ['grocery', 'fresh', 'dairy', 'beverage', 'snacks', 'household', 'personal_care', 'baby', 'eco', 'bakery'] as const;

export const CATEGORY_KEYS: Record<(typeof QUICK_CATEGORIES)[number], MessageKey> = {
  grocery: 'category.grocery',
  fresh: 'category.fresh',
  dairy: 'category.dairy',
  beverage: 'category.beverage',
  snacks: 'category.snacks',
  household: 'category.household',
  personal_care: 'category.personal_care',
  baby: 'category.baby',
  eco: 'category.eco',
  bakery: 'category.bakery',
};

export function categoryKey(category: string): MessageKey | null {
  return (CATEGORY_KEYS as Record<string, MessageKey | undefined>)[category] ?? null;
}
