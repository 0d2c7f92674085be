/**
 * The devices area of the PosApi contract (method name -> zod input schema) and its outputs.
 * contract.ts merges every area into the one contract.
 */
export const devicesContract = {} as const;

export type DevicesOutputs = Record<never, never>;
