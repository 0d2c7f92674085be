/**
 * Pinyin search keys of a product, computed once when the product is indexed (or imported), so
 * that a search never converts a product's name. Cashiers find goods by typing pinyin: the full
 * reading (longjingcha), its initials (ljc for 龙井茶), or the store's 助记码.
 *
 * A reading is a list of tokens: one toneless syllable per Han character (ü written v, as
 * pinyin keyboards do), and every run of other letters and digits as one lower-cased token
 * (金龙鱼花生油 1.8L -> jin long yu hua sheng you 1 8l). Its full key joins the tokens; its
 * initials key takes the first character of each token (jlyhsy18).
 *
 * Reading 0 is pinyin-pro's contextual reading of the whole name (its phrase dictionary reads
 * 重庆 chongqing and 银行 yinhang). Polyphones cannot be settled by a dictionary (参, 长, 乐),
 * so further readings swap one character at a time for each of its other readings (pinyin-pro's
 * `multiple`, which it gives for single characters only), leftmost character first, until
 * `maxReadings` readings; combinations of two swaps are not generated. The editable mnemonic is
 * the answer for whatever the readings miss.
 */
import { pinyin } from 'pinyin-pro';
import type { CatalogueProduct } from './product';

/** Readings kept per name: the contextual one and up to 7 one-character polyphone swaps. */
export const DEFAULT_MAX_READINGS = 8;

export interface PinyinOptions {
  maxReadings?: number;
  /** The text is Traditional Chinese (pinyin-pro then reads traditional characters better). */
  traditional?: boolean;
}

// A run of Han characters, or a run of other letters and digits (anything else separates tokens).
const SEGMENT = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
const SYLLABLE = /^[a-z]+$/;

const readingsOfChar = new Map<string, readonly string[]>();

/** Every toneless reading of one Han character, most frequent first (cached: a catalogue uses a few thousand characters). */
function charReadings(ch: string): readonly string[] {
  let readings = readingsOfChar.get(ch);
  if (readings === undefined) {
    readings = [...new Set(pinyin(ch, { multiple: true, type: 'array', toneType: 'none', v: true }))].filter((r) => SYLLABLE.test(r));
    readingsOfChar.set(ch, readings);
  }
  return readings;
}

interface Token {
  text: string;
  /** The Han character this syllable reads, or null for a run of other letters and digits. */
  han: string | null;
}

/** The contextual reading's tokens, or null when the text has nothing to read. */
function contextualTokens(text: string, traditional: boolean): Token[] {
  const segments = [...text.matchAll(SEGMENT)];
  const hanChars = segments.flatMap((m) => (m[1] === undefined ? [] : [...m[1]]));
  let syllables: string[] = [];
  if (hanChars.length > 0) {
    syllables = pinyin(text, { type: 'array', toneType: 'none', v: true, nonZh: 'removed', traditional });
    // pinyin-pro drops characters it has no reading for (rare CJK extensions), which would
    // misalign its syllables with the characters; read those names one character at a time.
    if (syllables.length !== hanChars.length) syllables = hanChars.map((ch) => charReadings(ch)[0] ?? '');
  }
  const tokens: Token[] = [];
  let next = 0;
  for (const m of segments) {
    if (m[1] !== undefined) {
      for (const ch of m[1]) {
        const syllable = syllables[next++] ?? '';
        if (SYLLABLE.test(syllable)) tokens.push({ text: syllable, han: ch });
      }
    } else if (m[2] !== undefined) {
      tokens.push({ text: m[2], han: null });
    }
  }
  return tokens;
}

/**
 * The readings of a name as token lists (see the module comment), [0] the contextual reading,
 * no two alike. A name with nothing to read (only punctuation) has no readings.
 */
export function pinyinReadings(name: string, options: PinyinOptions = {}): string[][] {
  const maxReadings = Math.max(1, options.maxReadings ?? DEFAULT_MAX_READINGS);
  const text = name.normalize('NFKC').toLowerCase();
  const base = contextualTokens(text, options.traditional ?? false);
  if (base.length === 0) return [];
  const first = base.map((t) => t.text);
  const readings = [first];
  const seen = new Set([first.join(' ')]);
  for (let i = 0; i < base.length && readings.length < maxReadings; i += 1) {
    const token = base[i]!;
    if (token.han === null) continue;
    for (const alternative of charReadings(token.han)) {
      if (readings.length >= maxReadings) break;
      if (alternative === token.text) continue;
      const variant = first.slice();
      variant[i] = alternative;
      const key = variant.join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        readings.push(variant);
      }
    }
  }
  return readings;
}

/** 'longjingcha' for ['long', 'jing', 'cha']. */
export function fullKey(tokens: readonly string[]): string {
  return tokens.join('');
}

/** 'ljc' for ['long', 'jing', 'cha']: the first character of every token. */
export function initialsKey(tokens: readonly string[]): string {
  let s = '';
  for (const t of tokens) s += t.charAt(0);
  return s;
}

export interface PinyinKeys {
  /** Full pinyin of each reading, no tones, joined: ['longjingcha', ...]. [0] is the contextual reading. */
  full: string[];
  /** Initials of each reading, no two alike: ['ljc', ...]. */
  initials: string[];
}

/** The full and initials keys of a name (the columns py_full/py_initials of the research note are full[0]/initials[0]). */
export function pinyinKeys(name: string, options: PinyinOptions = {}): PinyinKeys {
  const readings = pinyinReadings(name, options);
  return { full: readings.map(fullKey), initials: [...new Set(readings.map(initialsKey))] };
}

/**
 * What the search index keeps of a product besides the product: its readings and its mnemonic,
 * lower-cased. Plain data (JSON-safe), so the core can store it beside the product at import
 * and build the index at start-up without converting 100,000 names again.
 */
export interface ProductSearchKeys {
  readings: string[][];
  mnemonic: string | null;
}

/**
 * The search keys of a product: readings of its Simplified name (of the Traditional name, or the
 * English one, when it has none), plus those of a Traditional name worded differently (薯片 and
 * 洋芋片, not just 龙井 and 龍井), within `maxReadings` in all; and the mnemonic if set.
 */
export function productSearchKeys(product: Pick<CatalogueProduct, 'names' | 'mnemonic'>, options: Pick<PinyinOptions, 'maxReadings'> = {}): ProductSearchKeys {
  const maxReadings = Math.max(1, options.maxReadings ?? DEFAULT_MAX_READINGS);
  const { 'zh-Hans': hans, 'zh-Hant': hant, en } = product.names;
  const readings = hans !== '' ? pinyinReadings(hans, { maxReadings }) : pinyinReadings(hant || en, { maxReadings, traditional: hant !== '' });
  // A Traditional name is usually the Simplified one character for character (same length,
  // same reading); a different length means different words, worth reading too.
  if (hans !== '' && hant !== '' && [...hant].length !== [...hans].length && readings.length < maxReadings) {
    const seen = new Set(readings.map((r) => r.join(' ')));
    for (const r of pinyinReadings(hant, { maxReadings: maxReadings - readings.length, traditional: true })) {
      if (!seen.has(r.join(' '))) readings.push(r);
    }
  }
  return { readings, mnemonic: product.mnemonic ? product.mnemonic.toLowerCase() : null };
}
