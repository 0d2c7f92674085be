import type { StaffDto } from '../../src-shared/api/dto';
import { describeError, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export interface SessionState {
  staffList: StaffDto[];
  /** Who is signed in at this till, or null. */
  current: StaffDto | null;
  status: 'idle' | 'loading' | 'signingIn' | 'signingOut';
  error: UiError | null;
  /** The till locked itself after being idle: whoever was signed in is preselected. */
  lockedFor: StaffDto | null;
  /** Last key press, tap or scan (epoch ms). */
  lastActivityAt: number;
}

export interface SessionSlice {
  session: SessionState;
  /** Load the staff to pick from and who is already signed in (the session lives in the core). */
  staffListRequested(): Promise<void>;
  staffSignInSubmitted(staffId: string, pin: string): Promise<void>;
  signOutRequested(): Promise<void>;
  /** The cashier locked the till by hand (Alt+L). */
  lockRequested(): Promise<void>;
  /** Someone pressed a key, tapped or scanned. */
  activityNoted(): void;
  /** The idle timer fired: lock when nobody touched the till for the configured minutes. */
  idleCheckTicked(): Promise<void>;
  /**
   * The core says nobody is signed in any more although this screen thinks someone is: the staff
   * member was deactivated (perhaps on another till). Back to the sign-in screen, saying why; the
   * sale in progress is kept for whoever signs in next.
   */
  sessionEndedByCore(reason: 'staff_deactivated' | null): Promise<void>;
}

export const initialSessionState: SessionState = { staffList: [], current: null, status: 'idle', error: null, lockedFor: null, lastActivityAt: 0 };

/** True when the till should lock now. Pure, for the idle timer and its tests. */
export function shouldLock(args: { signedIn: boolean; idleLockMinutes: number; lastActivityAt: number; now: number }): boolean {
  return args.signedIn && args.idleLockMinutes > 0 && args.now - args.lastActivityAt >= args.idleLockMinutes * 60_000;
}

export const createSessionSlice: SliceCreator<SessionSlice> = ({ api, now }) => (set, get) => {
  const patch = (p: Partial<SessionState>): void => set({ session: { ...get().session, ...p } });
  const signOut = async (lock: boolean): Promise<void> => {
    const who = get().session.current;
    patch({ status: 'signingOut', error: null });
    try {
      const session = await api['session.signOut']({});
      patch({ current: session.staff, status: 'idle', lockedFor: lock ? who : null });
      get().membersScreenReset();
      get().reportsReset();
    } catch (e) {
      patch({ status: 'idle', error: describeError(e) });
    }
  };
  return {
    session: { ...initialSessionState, lastActivityAt: now() },
    async staffListRequested() {
      patch({ status: 'loading', error: null });
      try {
        const [staffList, session] = await Promise.all([api['staff.list']({}), api['session.current']({})]);
        patch({ staffList, current: session.staff, status: 'idle' });
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
      }
    },
    async staffSignInSubmitted(staffId, pin) {
      if (!staffId) return patch({ error: localError('signin.chooseStaff') });
      if (!/^\d{4,8}$/.test(pin)) return patch({ error: localError('signin.pinFormat') });
      patch({ status: 'signingIn', error: null });
      try {
        const session = await api['session.signIn']({ staffId, pin });
        patch({ current: session.staff, status: 'idle', error: null, lockedFor: null, lastActivityAt: now() });
        if (session.staff?.role !== 'manager' && get().screen === 'reports') set({ screen: 'checkout' });
        // A sale that was open when the till locked (or the window closed) carries on.
        void get().checkoutResumed();
        // The tenders this till takes and whether its cash drawer is open (the payment step and the header).
        void get().moneyRefreshRequested();
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
      }
    },
    async signOutRequested() {
      await signOut(false);
    },
    async lockRequested() {
      await signOut(true);
    },
    activityNoted() {
      const t = now();
      // Cheap: only write when a second has passed, so typing does not re-render the app.
      if (t - get().session.lastActivityAt > 1000) patch({ lastActivityAt: t });
    },
    async idleCheckTicked() {
      const s = get();
      if (shouldLock({ signedIn: s.session.current !== null, idleLockMinutes: s.settings.idleLockMinutes, lastActivityAt: s.session.lastActivityAt, now: now() })) {
        await signOut(true);
      }
    },
    async sessionEndedByCore(reason) {
      if (get().session.current === null) return;
      patch({ current: null, lockedFor: null, status: 'idle' });
      get().membersScreenReset();
      get().reportsReset();
      // The deactivated staff member leaves the list to sign in from (reloading it clears the error: say why after).
      await get().staffListRequested();
      if (reason === 'staff_deactivated') patch({ error: localError('signin.deactivated') });
    },
  };
};
