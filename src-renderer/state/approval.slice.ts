import type { StaffDto } from '../../src-shared/api/dto';
import { describeError, isApprovalFailure, localError, type Params, type UiError } from '../i18n/errors';
import type { MessageKey } from '../i18n/messages/en';
import type { SliceCreator } from './types';

export interface Approval {
  staffId: string;
  pin: string;
}

export interface ApprovalPrompt {
  /** What the manager is approving, in words. */
  purpose: MessageKey;
  params: Params;
  busy: boolean;
  error: UiError | null;
}

export interface ApprovalSlice {
  approval: ApprovalPrompt | null;
  /**
   * Opens the manager PIN prompt for `purpose` and runs `run` with the approval when a manager
   * enters their PIN. A wrong PIN (or a cashier's PIN) keeps the prompt open with the reason;
   * any other failure closes it and rejects. Resolves null when cancelled.
   */
  approvalRequested<T>(purpose: MessageKey, run: (approval: Approval) => Promise<T>, params?: Params): Promise<T | null>;
  approvalSubmitted(staffId: string, pin: string): Promise<void>;
  approvalCancelled(): void;
}

/** The people who can approve: active managers. */
export function managersOf(staff: StaffDto[]): StaffDto[] {
  return staff.filter((s) => s.role === 'manager' && s.active);
}

export const createApprovalSlice: SliceCreator<ApprovalSlice> = () => (set, get) => {
  let pending: { run: (a: Approval) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void } | null = null;
  const close = (): void => {
    pending = null;
    set({ approval: null });
  };
  return {
    approval: null,
    approvalRequested<T>(purpose: MessageKey, run: (approval: Approval) => Promise<T>, params: Params = {}) {
      // A second request replaces the first (which resolves as cancelled).
      pending?.resolve(null);
      return new Promise<T | null>((resolve, reject) => {
        pending = { run, resolve: resolve as (v: unknown) => void, reject };
        set({ approval: { purpose, params, busy: false, error: null } });
      });
    },
    async approvalSubmitted(staffId, pin) {
      const prompt = get().approval;
      const p = pending;
      if (!prompt || !p) return;
      if (!staffId) return set({ approval: { ...prompt, error: localError('approval.chooseManager') } });
      if (!/^\d{4,8}$/.test(pin)) return set({ approval: { ...prompt, error: localError('signin.pinFormat') } });
      set({ approval: { ...prompt, busy: true, error: null } });
      try {
        const value = await p.run({ staffId, pin });
        if (pending === p) close();
        p.resolve(value);
      } catch (e) {
        if (pending !== p) return;
        if (isApprovalFailure(e)) {
          set({ approval: { ...prompt, busy: false, error: describeError(e) } });
          return;
        }
        close();
        p.reject(e);
      }
    },
    approvalCancelled() {
      const p = pending;
      close();
      p?.resolve(null);
    },
  };
};
