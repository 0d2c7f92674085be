import type { z } from 'zod';

/**
 * Who may call a PosApi method, checked by the core's dispatcher before the handler runs:
 * - `none`: anyone at the till (nothing personal, or the way to sign in);
 * - `staff`: a signed-in staff member;
 * - `manager`: a signed-in manager;
 * - `approval`: a signed-in staff member with a manager's PIN in `input.approval`.
 */
export type Access = 'none' | 'staff' | 'manager' | 'approval';

/**
 * One method of the contract: its input schema, who may call it, and whether it may change what
 * the till holds and sends to the central server (a successful call wakes the sync agent).
 */
export interface MethodSpec {
  input: z.ZodType;
  access: Access;
  writes: boolean;
}
