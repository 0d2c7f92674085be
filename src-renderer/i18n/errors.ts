import type { CatalogueImportIssue, CatalogueIssueCode } from '../../src-shared/catalogue/import-issues';
import { isDomainError, type ErrorCode } from '../../src-shared/errors/domain-error';
import { isPosApiError, type PosApiErrorCode, type TransportErrorCode } from '../api/errors';
import type { MessageKey } from './messages/en';

/** Parameters of a message: numbers are formatted in the screen's language. */
export type Params = Record<string, string | number>;

/**
 * An error as the screen keeps it: a message key (translated when shown, so switching language
 * re-words it), its parameters, and the core's English message for support.
 */
export interface UiError {
  code: PosApiErrorCode | 'UNEXPECTED' | 'LOCAL';
  key: MessageKey;
  params: Params;
  coreMessage: string;
}

/**
 * Every error code the core or the link can give, to the words a cashier reads: what happened
 * and what to do next. The compiler checks every code has an entry.
 */
export const ERROR_MESSAGE_KEYS: Record<ErrorCode | TransportErrorCode | 'UNEXPECTED', MessageKey> = {
  INVALID_INPUT: 'error.INVALID_INPUT',
  UNKNOWN_METHOD: 'error.UNKNOWN_METHOD',
  UNAUTHORIZED: 'error.UNAUTHORIZED',
  NOT_SIGNED_IN: 'error.NOT_SIGNED_IN',
  FORBIDDEN: 'error.FORBIDDEN',
  NOT_FOUND: 'error.NOT_FOUND',
  MEMBER_NOT_FOUND: 'error.MEMBER_NOT_FOUND',
  CARD_NOT_FOUND: 'error.CARD_NOT_FOUND',
  SALE_NOT_FOUND: 'error.SALE_NOT_FOUND',
  STAFF_NOT_FOUND: 'error.STAFF_NOT_FOUND',
  INVALID_CARD_NUMBER: 'error.INVALID_CARD_NUMBER',
  UNRECOGNISED_SCAN: 'error.UNRECOGNISED_SCAN',
  DUPLICATE_PHONE: 'error.DUPLICATE_PHONE',
  CARD_ALREADY_ACTIVE: 'error.CARD_ALREADY_ACTIVE',
  CARD_INACTIVE: 'error.CARD_INACTIVE',
  MEMBER_BLOCKED: 'error.MEMBER_BLOCKED',
  MEMBER_MERGED: 'error.MEMBER_MERGED',
  MEMBER_ERASED: 'error.MEMBER_ERASED',
  INSUFFICIENT_POINTS: 'error.INSUFFICIENT_POINTS',
  REDEMPTION_BELOW_MINIMUM: 'error.REDEMPTION_BELOW_MINIMUM',
  REDEMPTION_NOT_IN_STEPS: 'error.REDEMPTION_NOT_IN_STEPS',
  REDEMPTION_ABOVE_BILL_CAP: 'error.REDEMPTION_ABOVE_BILL_CAP',
  OFFLINE_REDEMPTION_LIMIT: 'error.OFFLINE_REDEMPTION_LIMIT',
  RISK_HOLD: 'error.RISK_HOLD',
  REWARD_NOT_AVAILABLE: 'error.REWARD_NOT_AVAILABLE',
  REFUND_EXCEEDS_SALE: 'error.REFUND_EXCEEDS_SALE',
  INVALID_TENDER_CONFIG: 'error.INVALID_TENDER_CONFIG',
  TENDER_UNKNOWN: 'error.TENDER_UNKNOWN',
  TENDER_INACTIVE: 'error.TENDER_INACTIVE',
  TENDER_INVALID_AMOUNT: 'error.TENDER_INVALID_AMOUNT',
  TENDER_REFERENCE_REQUIRED: 'error.TENDER_REFERENCE_REQUIRED',
  TENDER_REFERENCE_INVALID: 'error.TENDER_REFERENCE_INVALID',
  TENDER_NO_CHANGE: 'error.TENDER_NO_CHANGE',
  TENDER_SHORT: 'error.TENDER_SHORT',
  DRAWER_COUNT_INVALID: 'error.DRAWER_COUNT_INVALID',
  DRAWER_NOT_OPEN: 'error.DRAWER_NOT_OPEN',
  DRAWER_ALREADY_OPEN: 'error.DRAWER_ALREADY_OPEN',
  DRAWER_CLOSED: 'error.DRAWER_CLOSED',
  DRAWER_CASH_INSUFFICIENT: 'error.DRAWER_CASH_INSUFFICIENT',
  Z_DRAWER_OPEN: 'error.Z_DRAWER_OPEN',
  Z_ALREADY_MADE: 'error.Z_ALREADY_MADE',
  IDEMPOTENCY_CONFLICT: 'error.IDEMPOTENCY_CONFLICT',
  INVALID_RULE_SET: 'error.INVALID_RULE_SET',
  INVALID_PIN: 'error.INVALID_PIN',
  MANAGER_PIN_REQUIRED: 'error.MANAGER_PIN_REQUIRED',
  STAFF_LOCKED: 'error.STAFF_LOCKED',
  DEVICE_NOT_CONFIGURED: 'error.DEVICE_NOT_CONFIGURED',
  PRINT_JOB_NOT_FOUND: 'error.PRINT_JOB_NOT_FOUND',
  PRINT_JOB_NOT_OPEN: 'error.PRINT_JOB_NOT_OPEN',
  SCAN_TIMEOUT: 'error.SCAN_TIMEOUT',
  INVALID_BARCODE_LAYOUT: 'error.INVALID_BARCODE_LAYOUT',
  CATALOGUE_FILE_UNREADABLE: 'error.CATALOGUE_FILE_UNREADABLE',
  CATALOGUE_IMPORT_INVALID: 'error.CATALOGUE_IMPORT_INVALID',
  NOT_ENROLLED: 'error.NOT_ENROLLED',
  ALREADY_ENROLLED: 'error.ALREADY_ENROLLED',
  ENROLMENT_REFUSED: 'error.ENROLMENT_REFUSED',
  SERVER_UNREACHABLE: 'error.SERVER_UNREACHABLE',
  DATABASE_TOO_NEW: 'error.DATABASE_TOO_NEW',
  DATABASE_CORRUPT: 'error.DATABASE_CORRUPT',
  DATABASE_NOT_TILLSMITH: 'error.DATABASE_NOT_TILLSMITH',
  DISK_FULL: 'error.DISK_FULL',
  STORAGE_BUSY: 'error.STORAGE_BUSY',
  INTERNAL: 'error.INTERNAL',
  BRIDGE_UNREACHABLE: 'error.BRIDGE_UNREACHABLE',
  BRIDGE_TOKEN_MISSING: 'error.BRIDGE_TOKEN_MISSING',
  BRIDGE_TOKEN_REJECTED: 'error.BRIDGE_TOKEN_REJECTED',
  BAD_RESPONSE: 'error.BAD_RESPONSE',
  UNEXPECTED: 'error.UNEXPECTED',
};

/**
 * Every problem of a catalogue import's dry run, to its words. The row and the column are shown
 * beside the message (the dry run's table), so the words name only the value and what to do.
 */
export const CATALOGUE_ISSUE_MESSAGE_KEYS: Record<CatalogueIssueCode, MessageKey> = {
  missing_column: 'catalogue.issue.missing_column',
  unknown_column: 'catalogue.issue.unknown_column',
  duplicate_column: 'catalogue.issue.duplicate_column',
  wrong_delimiter: 'catalogue.issue.wrong_delimiter',
  wrong_field_count: 'catalogue.issue.wrong_field_count',
  required: 'catalogue.issue.required',
  sku_invalid: 'catalogue.issue.sku_invalid',
  duplicate_sku: 'catalogue.issue.duplicate_sku',
  barcode_invalid: 'catalogue.issue.barcode_invalid',
  barcode_check_digit: 'catalogue.issue.barcode_check_digit',
  barcode_scientific: 'catalogue.issue.barcode_scientific',
  barcode_repeated: 'catalogue.issue.barcode_repeated',
  too_many_barcodes: 'catalogue.issue.too_many_barcodes',
  duplicate_barcode: 'catalogue.issue.duplicate_barcode',
  barcode_taken: 'catalogue.issue.barcode_taken',
  barcode_variable_measure: 'catalogue.issue.barcode_variable_measure',
  name_missing: 'catalogue.issue.name_missing',
  name_too_long: 'catalogue.issue.name_too_long',
  name_invalid: 'catalogue.issue.name_invalid',
  unknown_category: 'catalogue.issue.unknown_category',
  price_not_a_number: 'catalogue.issue.price_not_a_number',
  price_negative: 'catalogue.issue.price_negative',
  price_zero: 'catalogue.issue.price_zero',
  price_too_many_decimals: 'catalogue.issue.price_too_many_decimals',
  price_too_large: 'catalogue.issue.price_too_large',
  active_invalid: 'catalogue.issue.active_invalid',
  measure_invalid: 'catalogue.issue.measure_invalid',
  mnemonic_invalid: 'catalogue.issue.mnemonic_invalid',
};

/** A dry-run problem as the screen shows it: its message key and parameters (the issue's own). */
export function describeCatalogueIssue(issue: CatalogueImportIssue): { key: MessageKey; params: Params } {
  return { key: CATALOGUE_ISSUE_MESSAGE_KEYS[issue.code], params: issue.params };
}

/** Detail fields worth showing in a message (numbers and short strings only). */
const PARAM_FIELDS = ['maxPoints', 'minPoints', 'stepPoints', 'available', 'remaining', 'limit', 'lockedUntil', 'attemptsLeft', 'maskedCode', 'rule', 'count'];

export function describeError(e: unknown): UiError {
  // The core's errors arrive as PosApiError; the shared rules run on this screen too (the payment
  // step's arithmetic) and throw DomainError with the same codes.
  if (isPosApiError(e) || isDomainError(e)) {
    const key = (ERROR_MESSAGE_KEYS as Record<string, MessageKey | undefined>)[e.code] ?? 'error.fromCore';
    const params: Params = { detail: e.message };
    for (const f of PARAM_FIELDS) {
      const v = e.details[f];
      if (typeof v === 'number' || (typeof v === 'string' && v.length <= 40)) params[f] = v;
    }
    return { code: e.code, key, params, coreMessage: e.message };
  }
  return { code: 'UNEXPECTED', key: 'error.UNEXPECTED', params: {}, coreMessage: e instanceof Error ? e.message : String(e) };
}

/** An error found on this screen before anything was sent (an empty field, a bad amount). */
export function localError(key: MessageKey, params: Params = {}): UiError {
  return { code: 'LOCAL', key, params, coreMessage: '' };
}

/** Errors that say "the link is down": the request may or may not have reached the core. */
export function isLinkFailure(e: unknown): boolean {
  return isPosApiError(e) && (e.code === 'BRIDGE_UNREACHABLE' || e.code === 'BAD_RESPONSE');
}

export function isApprovalFailure(e: unknown): boolean {
  return isPosApiError(e) && (e.code === 'INVALID_PIN' || e.code === 'MANAGER_PIN_REQUIRED' || e.code === 'STAFF_LOCKED' || e.code === 'STAFF_NOT_FOUND');
}

export function errorCodeOf(e: unknown): string | null {
  return isPosApiError(e) ? e.code : null;
}
