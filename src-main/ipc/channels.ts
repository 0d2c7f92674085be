/**
 * The only IPC channels between the renderer and main. The preload multiplexes every PosApi
 * call over `pos:invoke` (main checks the method against the contract's allowlist) and every
 * event over `pos:event`. Plain constants: the sandboxed preload bundles this file.
 */
export const POS_INVOKE_CHANNEL = 'pos:invoke';
export const POS_EVENT_CHANNEL = 'pos:event';

/** What main sends on `pos:event`. */
export interface PosEventMessage {
  event: string;
  payload: unknown;
}

export function isPosEventMessage(m: unknown): m is PosEventMessage {
  return typeof m === 'object' && m !== null && typeof (m as { event?: unknown }).event === 'string';
}
