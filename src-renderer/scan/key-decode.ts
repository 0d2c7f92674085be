/**
 * Turns a keydown's physical key (`KeyboardEvent.code`) and Shift into the character a scanner
 * meant. Keyboard-wedge scanners emulate a US keyboard: they press physical keys, so the
 * character the OS produces (`key`) depends on the layout (AZERTY swaps A and Q, a German
 * layout Y and Z) and, under a Chinese input method, is not a character at all (`key`
 * 'Process', keyCode 229). The physical key is layout- and IME-independent.
 */

const DIGITS_SHIFTED = ')!@#$%^&*(';

const PUNCTUATION: Readonly<Record<string, readonly [string, string]>> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  IntlBackslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
  NumpadEqual: ['=', '='],
  NumpadComma: [',', ','],
};

/** The character for a physical key, or null for keys that type nothing (arrows, F-keys, Enter...). */
export function charOfCode(code: string, shift: boolean): string | null {
  if (code.length === 4 && code.startsWith('Key')) {
    const letter = code.charAt(3);
    if (letter >= 'A' && letter <= 'Z') return shift ? letter : letter.toLowerCase();
    return null;
  }
  if (code.length === 6 && code.startsWith('Digit')) {
    const d = code.charCodeAt(5) - 48;
    if (d >= 0 && d <= 9) return shift ? DIGITS_SHIFTED.charAt(d) : String(d);
    return null;
  }
  if (code.length === 7 && code.startsWith('Numpad')) {
    const d = code.charCodeAt(6) - 48;
    if (d >= 0 && d <= 9) return String(d);
  }
  const p = PUNCTUATION[code];
  return p === undefined ? null : p[shift ? 1 : 0];
}

/** Keys that only modify others: they neither type nor break a burst. */
export function isModifierCode(code: string): boolean {
  return /^(Shift|Control|Alt|Meta|OS)(Left|Right)?$/.test(code) || code === 'CapsLock' || code === 'NumLock' || code === 'AltGraph';
}
