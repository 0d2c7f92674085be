import type { StaffDto } from '../../src-shared/api/dto';
import { describeError, type UiError } from '../api/error-messages';
import { initialMembersState } from './members.slice';
import type { SliceCreator } from './types';

export interface SessionState {
  staffList: StaffDto[];
  /** Who is signed in at this till, or null. */
  current: StaffDto | null;
  status: 'idle' | 'loading' | 'signingIn' | 'signingOut';
  error: UiError | null;
}

export interface SessionSlice {
  session: SessionState;
  /** Load the staff to pick from and who is already signed in (the session lives in the core). */
  staffListRequested(): Promise<void>;
  staffSignInSubmitted(staffId: string, pin: string): Promise<void>;
  signOutRequested(): Promise<void>;
}

export const initialSessionState: SessionState = { staffList: [], current: null, status: 'idle', error: null };

export const createSessionSlice: SliceCreator<SessionSlice> = ({ api }) => (set, get) => {
  const patch = (p: Partial<SessionState>): void => set({ session: { ...get().session, ...p } });
  return {
    session: initialSessionState,
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
      if (!staffId) return patch({ error: { code: 'INVALID_INPUT', message: 'Choose who you are first.' } });
      if (!pin) return patch({ error: { code: 'INVALID_INPUT', message: 'Type your PIN.' } });
      patch({ status: 'signingIn', error: null });
      try {
        const session = await api['session.signIn']({ staffId, pin });
        set({ session: { ...get().session, current: session.staff, status: 'idle', error: null }, members: initialMembersState });
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
      }
    },
    async signOutRequested() {
      patch({ status: 'signingOut', error: null });
      try {
        const session = await api['session.signOut']({});
        set({ session: { ...get().session, current: session.staff, status: 'idle' }, members: initialMembersState });
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
      }
    },
  };
};
