/**
 * Column layout for fixed-pitch receipt printers where a Chinese character takes two columns.
 * Every function takes a `TextMeasure` (PrinterTextCodec implements it), so widths are those
 * of the bytes actually sent to the printer.
 */

export interface TextMeasure {
  /** Columns one character (code point) takes. */
  charWidth(ch: string): number;
  /** Columns a string takes. */
  width(text: string): number;
}

/** Characters that must not start a line (Chinese/Japanese closing punctuation). */
const NO_LINE_START = new Set([...'，。、：；！？）」』】〉》’”…,.;:!?)]}%']);

function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}

type Token = { text: string; width: number; kind: 'space' | 'word' | 'wide' };

function tokenise(text: string, m: TextMeasure): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let wordWidth = 0;
  const flush = (): void => {
    if (word !== '') tokens.push({ text: word, width: wordWidth, kind: 'word' });
    word = '';
    wordWidth = 0;
  };
  for (const ch of text) {
    const w = m.charWidth(ch);
    if (ch === ' ') {
      flush();
      tokens.push({ text: ch, width: w, kind: 'space' });
    } else if (w >= 2) {
      // A double-width character can be broken before or after, like CJK text.
      flush();
      tokens.push({ text: ch, width: w, kind: 'wide' });
    } else {
      word += ch;
      wordWidth += w;
    }
  }
  flush();
  return tokens;
}

/**
 * Wraps `text` into lines no wider than `width` columns. Latin words move whole to the next
 * line (and are broken only when longer than a line); CJK text breaks between any two
 * characters, except that closing punctuation never starts a line. Explicit '\n' breaks are
 * kept. Trailing spaces are dropped. Always returns at least one (possibly empty) line.
 */
export function wrapText(text: string, width: number, m: TextMeasure): string[] {
  if (!Number.isInteger(width) || width < 2) throw new RangeError('wrap width must be an integer >= 2');
  const out: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    out.push(...wrapParagraph(paragraph, width, m));
  }
  return out;
}

function wrapParagraph(text: string, width: number, m: TextMeasure): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const push = (): void => {
    lines.push(line.replace(/ +$/, ''));
    line = '';
    lineWidth = 0;
  };
  const tokens = tokenise(text, m);
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (t === undefined) continue;
    if (t.kind === 'space') {
      if (lineWidth === 0) continue; // no leading spaces on a wrapped line
      if (lineWidth + t.width > width) push();
      else {
        line += t.text;
        lineWidth += t.width;
      }
      continue;
    }
    if (lineWidth + t.width <= width) {
      line += t.text;
      lineWidth += t.width;
      continue;
    }
    if (t.kind === 'wide' || t.width <= width) {
      // Kinsoku: if this character may not start a line, carry the previous wide character over with it.
      if (t.kind === 'wide' && NO_LINE_START.has(t.text) && lineWidth > 0) {
        const chars = [...line];
        const last = chars[chars.length - 1];
        if (last !== undefined && last !== ' ' && m.charWidth(last) >= 2 && chars.length > 1) {
          chars.pop();
          line = chars.join('');
          lineWidth -= m.charWidth(last);
          push();
          line = last + t.text;
          lineWidth = m.charWidth(last) + t.width;
          continue;
        }
      }
      if (lineWidth > 0) push();
      if (t.width <= width) {
        line = t.text;
        lineWidth = t.width;
        continue;
      }
    }
    // A word longer than a whole line: break it character by character.
    for (const ch of t.text) {
      const w = m.charWidth(ch);
      if (lineWidth + w > width && lineWidth > 0) push();
      line += ch;
      lineWidth += w;
    }
  }
  if (line !== '' || lines.length === 0) push();
  return lines;
}

/** `text` followed by spaces up to `width` columns (unchanged when already wider). */
export function padEnd(text: string, width: number, m: TextMeasure): string {
  return text + spaces(width - m.width(text));
}

/** Spaces then `text`, right-aligned in `width` columns. */
export function padStart(text: string, width: number, m: TextMeasure): string {
  return spaces(width - m.width(text)) + text;
}

/** `text` centred in `width` columns (the odd column goes to the right). */
export function centre(text: string, width: number, m: TextMeasure): string {
  const free = width - m.width(text);
  return spaces(Math.floor(free / 2)) + text;
}

export interface TwoColumnOptions {
  /** Minimum spaces between the left text and the right text. */
  gap?: number;
  /** Spaces before the left text on every line. */
  indent?: number;
}

/**
 * A row with `left` at the left margin and `right` flush with the right margin, e.g. an item
 * name and its amount. A long `left` wraps within the space the right text leaves free; the
 * right text goes on the first line. When `right` is too wide to share a line it goes on a
 * line of its own, right-aligned, after the wrapped left text.
 */
export function twoColumns(
  left: string,
  right: string,
  columns: number,
  m: TextMeasure,
  options: TwoColumnOptions = {},
): string[] {
  const gap = options.gap ?? 1;
  const indent = spaces(options.indent ?? 0);
  const indentWidth = options.indent ?? 0;
  const rightWidth = m.width(right);
  const leftSpace = columns - indentWidth - rightWidth - gap;
  if (leftSpace < Math.min(8, Math.floor(columns / 3))) {
    const lines = left === '' ? [] : wrapText(left, columns - indentWidth, m).map((l) => indent + l);
    for (const r of wrapText(right, columns, m)) lines.push(padStart(r, columns, m));
    return lines;
  }
  const leftLines = wrapText(left, leftSpace, m);
  const first = indent + (leftLines[0] ?? '');
  const out = [first + spaces(columns - m.width(first) - rightWidth) + right];
  for (const l of leftLines.slice(1)) out.push(indent + l);
  return out;
}
