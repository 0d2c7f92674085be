import type { SyncErrorCode } from '../src-shared/sync/protocol';

/** An error with an HTTP status and a protocol error code; the HTTP layer turns it into a SyncErrorBody. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export const invalid = (message: string, details?: Record<string, unknown>, status = 400): ServerError =>
  new ServerError(status, 'INVALID_REQUEST', message, details);
