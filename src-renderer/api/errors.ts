import type { ErrorCode } from '../../src-shared/errors/domain-error';

/** Failures of the link itself (not of the core): the renderer's own codes. */
export type TransportErrorCode = 'BRIDGE_UNREACHABLE' | 'BRIDGE_TOKEN_MISSING' | 'BRIDGE_TOKEN_REJECTED' | 'BAD_RESPONSE';
export type PosApiErrorCode = ErrorCode | TransportErrorCode;

export interface PosApiErrorPayload {
  code: PosApiErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** What a PosApi call throws: the core's typed error `{ code, message, details }`, or a link failure. */
export class PosApiError extends Error {
  readonly code: PosApiErrorCode;
  readonly details: Record<string, unknown>;

  constructor(payload: PosApiErrorPayload) {
    super(payload.message);
    this.name = 'PosApiError';
    this.code = payload.code;
    this.details = payload.details ?? {};
  }

  toPayload(): Required<PosApiErrorPayload> {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isPosApiError(e: unknown): e is PosApiError {
  return e instanceof PosApiError;
}
