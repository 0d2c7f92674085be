import { DRAFT_STORAGE_KEY, draftOf } from './checkout.slice';
import type { AppStore } from './store';
import type { KeyValueStorage } from './types';

/**
 * Saves the sale in progress (basket, member, redemption, its idempotency key and any request
 * whose answer was lost) on every change, so a reload or a closed window loses nothing.
 * appStarted restores it (checkoutDraftRestored); start this after appStarted, so the empty
 * sale of a page still loading never overwrites the saved one.
 */
export function startDraftPersistence(store: AppStore, storage: KeyValueStorage): () => void {
  let last: string | null = null;
  return store.subscribe((s) => {
    const draft = draftOf(s.checkout);
    const json = draft ? JSON.stringify(draft) : null;
    if (json === last) return;
    last = json;
    try {
      if (json) storage.setItem(DRAFT_STORAGE_KEY, json);
      else storage.removeItem(DRAFT_STORAGE_KEY);
    } catch {
      // storage full or refused: nothing else to do
    }
  });
}
