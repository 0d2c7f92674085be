/**
 * The reports area of the PosApi contract (method name -> zod input schema) and its outputs.
 * contract.ts merges every area into the one contract.
 */
export const reportsContract = {} as const;

export type ReportsOutputs = Record<never, never>;
