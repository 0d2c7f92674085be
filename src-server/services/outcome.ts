import type { OpStatus } from '../../src-shared/sync/protocol';

/** The result of applying one op, before it is stored in push_result. */
export interface OpOutcome {
  status: OpStatus;
  reasons: string[];
}

export const applied = (reasons: string[] = []): OpOutcome => ({ status: 'applied', reasons });
export const duplicate = (reasons: string[] = []): OpOutcome => ({ status: 'duplicate', reasons });
export const rejected = (reason: string): OpOutcome => ({ status: 'rejected', reasons: [reason] });
export const held = (reason: string): OpOutcome => ({ status: 'held', reasons: [reason] });

/** The terminal an op came from, as authenticated by its token. */
export interface TerminalIdentity {
  id: string;
  storeId: string;
  appVersion?: string | null;
}
