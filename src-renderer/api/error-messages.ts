import { isPosApiError, type PosApiErrorCode } from './errors';

/** An error as the screen shows it. */
export interface UiError {
  code: PosApiErrorCode | 'UNEXPECTED';
  message: string;
}

/**
 * The core already writes its messages for a cashier; these codes get screen-specific words.
 * Anything else shows the core's message.
 */
const WORDS: Partial<Record<PosApiErrorCode, string>> = {
  INVALID_PIN: 'That PIN is not right. Try again.',
  STAFF_LOCKED: 'Too many wrong PINs: this staff member is locked for a few minutes. Ask a manager.',
  MEMBER_NOT_FOUND: 'No member matches that.',
  CARD_NOT_FOUND: 'That card is not registered.',
  INVALID_CARD_NUMBER: 'That is not a valid card number. Check the digits or scan the card again.',
  UNRECOGNISED_SCAN: 'That code is not a member card.',
  STORAGE_BUSY: 'The till is busy. Try again in a moment.',
};

export function describeError(e: unknown): UiError {
  if (isPosApiError(e)) {
    if (e.code === 'INVALID_INPUT') return { code: e.code, message: `Check what you typed (${e.message}).` };
    return { code: e.code, message: WORDS[e.code] ?? e.message };
  }
  return { code: 'UNEXPECTED', message: 'Something went wrong on this screen. Try again; if it repeats, call support.' };
}
