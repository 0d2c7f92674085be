/**
 * Name search tokens for SQLite FTS5 (unicode61 tokenizer). Every CJK character becomes a
 * token of its own and Latin text is split into words, so a two-character Chinese name
 * (王伟) and a partial Latin name (ali) are both found through the index.
 * See docs/decisions/0002-name-search.md.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Splits a name into search tokens: CJK characters one by one, other words whole, lower case. */
export function nameTokens(name: string): string[] {
  const text = name.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  let word = '';
  const flush = () => {
    if (word) tokens.push(word);
    word = '';
  };
  for (const ch of text) {
    if (CJK.test(ch)) {
      flush();
      tokens.push(ch);
    } else if (WORD_CHAR.test(ch)) {
      word += ch;
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

/** The text stored in the FTS column for a name. */
export function nameIndexText(name: string): string {
  return nameTokens(name).join(' ');
}

/**
 * An FTS5 MATCH expression for what the cashier typed: consecutive CJK characters must be
 * adjacent (a phrase), Latin words match as prefixes, all parts must match. Returns null when
 * the query has nothing searchable. Tokens are quoted, so no FTS syntax can be injected.
 */
export function nameMatchQuery(query: string): string | null {
  const text = query.normalize('NFKC').toLowerCase();
  const parts: string[] = [];
  let cjkRun: string[] = [];
  let word = '';
  const flushWord = () => {
    if (word) parts.push(`"${word}"*`);
    word = '';
  };
  const flushCjk = () => {
    if (cjkRun.length) parts.push(`"${cjkRun.join(' ')}"`);
    cjkRun = [];
  };
  for (const ch of text) {
    if (CJK.test(ch)) {
      flushWord();
      cjkRun.push(ch);
    } else if (WORD_CHAR.test(ch)) {
      flushCjk();
      word += ch;
    } else {
      flushWord();
      flushCjk();
    }
  }
  flushWord();
  flushCjk();
  return parts.length ? parts.join(' AND ') : null;
}
