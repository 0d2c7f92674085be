import type { AccessOf, Method, Outputs, ParsedInput } from '../../src-shared/api/contract';
import type { StaffRow } from './context';
import type { Approval } from './ports';

/** What every handler gets besides its input: a way to check an optional manager's approval. */
export interface Call {
  /** The approver when an approval is given (PIN checked, must be a manager), else null. */
  approve(approval: Approval | undefined): Promise<StaffRow | null>;
}

/** A call by a signed-in staff member (access `staff` or `manager`). */
export interface StaffCall extends Call {
  staff: StaffRow;
}

/** A call by a signed-in staff member with a manager's approval already checked (access `approval`). */
export interface ApprovedCall extends StaffCall {
  approver: StaffRow;
}

/** The call context the dispatcher gives method M, by its declared access. */
export type CallFor<M extends Method> = AccessOf<M> extends 'none' ? Call : AccessOf<M> extends 'approval' ? ApprovedCall : StaffCall;

/** The core's side of every PosApi method: parsed input and the checked caller in, the output out. */
export type CoreHandlers = { [M in Method]: (input: ParsedInput<M>, call: CallFor<M>) => Promise<Outputs[M]> };

/** The handlers of one area (an area's `*.handlers.ts` returns these; the terminal joins them). */
export type AreaHandlers<K extends Method> = Pick<CoreHandlers, K>;
