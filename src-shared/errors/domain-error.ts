/**
 * Typed errors shared by every layer. A `DomainError` carries a stable code that the
 * UI turns into words in the cashier's language, an English message for logs and
 * API callers, and structured details. Transports serialise it as `{ code, message, details }`.
 */
export const ERROR_CODES = {
  // input and lookup
  INVALID_INPUT: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHORIZED: 401,
  NOT_SIGNED_IN: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  CARD_NOT_FOUND: 404,
  SALE_NOT_FOUND: 404,
  STAFF_NOT_FOUND: 404,
  INVALID_CARD_NUMBER: 422,
  UNRECOGNISED_SCAN: 422,
  // members and cards
  DUPLICATE_PHONE: 409,
  CARD_ALREADY_ACTIVE: 409,
  CARD_INACTIVE: 409,
  MEMBER_BLOCKED: 409,
  MEMBER_MERGED: 409,
  MEMBER_ERASED: 409,
  // points
  INSUFFICIENT_POINTS: 422,
  REDEMPTION_BELOW_MINIMUM: 422,
  REDEMPTION_NOT_IN_STEPS: 422,
  REDEMPTION_ABOVE_BILL_CAP: 422,
  OFFLINE_REDEMPTION_LIMIT: 422,
  RISK_HOLD: 423,
  REWARD_NOT_AVAILABLE: 422,
  REFUND_EXCEEDS_SALE: 422,
  IDEMPOTENCY_CONFLICT: 409,
  INVALID_RULE_SET: 422,
  // tenders: taking the money, refunding it, the cash drawer
  INVALID_TENDER_CONFIG: 422,
  TENDER_UNKNOWN: 422,
  TENDER_INACTIVE: 409,
  TENDER_INVALID_AMOUNT: 422,
  TENDER_REFERENCE_REQUIRED: 422,
  TENDER_REFERENCE_INVALID: 422,
  TENDER_NO_CHANGE: 422,
  TENDER_SHORT: 422,
  DRAWER_COUNT_INVALID: 422,
  DRAWER_NOT_OPEN: 409,
  DRAWER_ALREADY_OPEN: 409,
  DRAWER_CLOSED: 409,
  DRAWER_CASH_INSUFFICIENT: 422,
  Z_DRAWER_OPEN: 409,
  Z_ALREADY_MADE: 409,
  // staff
  INVALID_PIN: 401,
  MANAGER_PIN_REQUIRED: 403,
  STAFF_LOCKED: 423,
  // devices
  DEVICE_NOT_CONFIGURED: 409,
  PRINT_JOB_NOT_FOUND: 404,
  PRINT_JOB_NOT_OPEN: 409,
  SCAN_TIMEOUT: 408,
  // catalogue
  INVALID_BARCODE_LAYOUT: 422,
  CATALOGUE_FILE_UNREADABLE: 422,
  CATALOGUE_IMPORT_INVALID: 422,
  // sync
  NOT_ENROLLED: 409,
  ALREADY_ENROLLED: 409,
  ENROLMENT_REFUSED: 422,
  SERVER_UNREACHABLE: 503,
  // storage
  DATABASE_TOO_NEW: 500,
  DATABASE_CORRUPT: 500,
  DATABASE_NOT_TILLSMITH: 500,
  DISK_FULL: 507,
  STORAGE_BUSY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** The HTTP status a transport should use for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}
