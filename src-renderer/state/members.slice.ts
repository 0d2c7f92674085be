import type { MemberSummaryDto, ScanOutcomeDto } from '../../src-shared/api/dto';
import { describeError, type UiError } from '../api/error-messages';
import type { SliceCreator } from './types';

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
}

export interface MembersSlice {
  members: MembersState;
  /** The cashier typed something (card number, phone, last four digits, name) and pressed Search. */
  memberSearchSubmitted(query: string): Promise<void>;
  /** A raw code from a scanner (or typed as one): barcode, track 2, NFC UID. */
  memberCodeScanned(raw: string): Promise<void>;
  memberLookupCleared(): void;
}

export const initialMembersState: MembersState = { status: 'idle', query: '', mode: null, results: [], scan: null, error: null };

export const createMembersSlice: SliceCreator<MembersSlice> = ({ api }) => (set, get) => {
  // Only the newest lookup may write its answer (a slow search must not overwrite a later scan).
  let latest = 0;
  const run = async (query: string, mode: 'find' | 'scan', call: () => Promise<{ results: MemberSummaryDto[]; scan: ScanOutcomeDto | null }>): Promise<void> => {
    const ticket = ++latest;
    set({ members: { ...initialMembersState, status: 'searching', query, mode } });
    try {
      const { results, scan } = await call();
      if (ticket === latest) set({ members: { ...get().members, status: 'done', results, scan } });
    } catch (e) {
      if (ticket === latest) set({ members: { ...get().members, status: 'error', error: describeError(e) } });
    }
  };
  return {
    members: initialMembersState,
    async memberSearchSubmitted(query) {
      const q = query.trim();
      if (!q) {
        set({ members: { ...initialMembersState, status: 'error', error: { code: 'INVALID_INPUT', message: 'Type a card number, phone number, last four digits or name.' } } });
        return;
      }
      await run(q, 'find', async () => ({ results: await api['members.find']({ query: q, by: 'auto' }), scan: null }));
    },
    async memberCodeScanned(raw) {
      if (!raw.trim()) {
        set({ members: { ...initialMembersState, status: 'error', error: { code: 'INVALID_INPUT', message: 'Scan or type a card code.' } } });
        return;
      }
      await run(raw, 'scan', async () => {
        const scan = await api['members.scan']({ raw });
        return { results: scan.kind === 'member' ? [scan.member] : [], scan };
      });
    },
    memberLookupCleared() {
      latest++;
      set({ members: initialMembersState });
    },
  };
};
