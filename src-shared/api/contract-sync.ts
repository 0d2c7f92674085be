/**
 * The sync area of the PosApi contract (method name -> zod input schema) and its outputs.
 * contract.ts merges every area into the one contract.
 */
export const syncContract = {} as const;

export type SyncOutputs = Record<never, never>;
