/**
 * The in-memory product search behind the counter's look-up box. One query is matched against
 * SKUs, product codes, the mnemonic (助记码), the pinyin readings and their initials, and the
 * names in every language, and answered in rank order:
 *
 *   0 exact code      the SKU (any case) or a product code (in any form: a UPC-A finds its EAN-13)
 *   1 exact key       the whole mnemonic, initials, full pinyin or name
 *   2 prefix          the start of a SKU, code, mnemonic, initials or full pinyin
 *   3 name prefix     the start of a name
 *   4 within, aligned initials or full pinyin from a syllable inside the name (hsy, huasheng in 金龙鱼花生油)
 *   5 name within     anywhere inside a name
 *   6 within, loose   full pinyin from inside a syllable
 *
 * Within ranks 0-2: by the matched key, then the kind of match (sku, barcode, mnemonic,
 * initials, pinyin, name), then the SKU. Within ranks 3-6: in index order (the order build()
 * was given the products, then later additions), so that a scan can stop as soon as it has
 * enough; give build() the best sellers first and they come first. Each product appears once,
 * at its best match. Inactive products only when asked.
 *
 * How it stays fast at 100,000 products (no pinyin conversion and no per-product loop at query
 * time):
 *   - exact codes (in any form) and names: hash maps;
 *   - prefixes: two sorted key arrays (codes; readings, initials and mnemonics) searched by
 *     binary search, each read only until it has given `limit` products (and their ties);
 *   - substrings: the names (those with Han characters apart, the only ones a query with Han
 *     characters can match), and separately the contextual readings and all initials (for
 *     queries of letters, or letters and digits), concatenated into large strings searched with
 *     indexOf (native), a hit mapped back to its product by binary search over record offsets;
 *     a scan stops once it has `limit` products of its best rank. These scans run only when
 *     ranks 0-2 have not filled the answer: with fewer than `limit` products there, every
 *     prefix range was read to its end, so nothing of rank 0-2 is missing.
 * Changes go to small sorted deltas merged into the main arrays now and then; a removed
 * product's entries are skipped until dead entries outnumber live ones, when they are dropped.
 * To replace most of a catalogue, build a new index and swap it in.
 *
 * Pure TypeScript: no node:*, no Buffer.
 */
import { normaliseProductCode } from './gtin';
import { fullKey, initialsKey, productSearchKeys, type ProductSearchKeys } from './pinyin-keys';
import { PRODUCT_NAME_LANGUAGES, type CatalogueProduct } from './product';
import { sortedOrder } from './sort-keys';

export type SearchMatchKind = 'sku' | 'barcode' | 'mnemonic' | 'initials' | 'pinyin' | 'name';
/** exact: the whole key (ranks 0-1); prefix: its start (2-3); within: inside it (4-6). */
export type SearchMatchPosition = 'exact' | 'prefix' | 'within';

export interface CatalogueSearchHit {
  product: CatalogueProduct;
  match: SearchMatchKind;
  position: SearchMatchPosition;
  /** 0 to 6, as in the module comment. */
  rank: number;
  /** The key that matched, as indexed (lower case): the SKU, the code, the mnemonic, the reading, the name. */
  key: string;
}

export interface SearchOptions {
  /** Include inactive products (default: active ones only). */
  includeInactive?: boolean;
}

export interface CatalogueSearchIndexOptions {
  /** Pinyin readings per product, polyphone variants included (default DEFAULT_MAX_READINGS). */
  maxReadings?: number;
}

/** A product with the search keys computed at import, if the caller kept them (productSearchKeys). */
export interface IndexEntry {
  product: CatalogueProduct;
  keys?: ProductSearchKeys;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 500;

// Kinds, in their tie-break order.
const SKU = 0;
const BARCODE = 1;
const MNEMONIC = 2;
const INITIALS = 3;
const PINYIN = 4;
const NAME = 5;
const KIND_NAMES: readonly SearchMatchKind[] = ['sku', 'barcode', 'mnemonic', 'initials', 'pinyin', 'name'];

const RANK_EXACT_CODE = 0;
const RANK_EXACT_KEY = 1;
const RANK_PREFIX = 2;
const RANK_NAME_PREFIX = 3;
const RANK_ALIGNED = 4;
const RANK_NAME_WITHIN = 5;
const RANK_LOOSE = 6;
const POSITIONS: readonly SearchMatchPosition[] = ['exact', 'exact', 'prefix', 'prefix', 'within', 'within', 'within'];

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const HAN = /\p{Script=Han}/u;
/** Letters and digits with a letter among them: the only queries worth looking for inside readings. */
const READING_QUERY = /^(?=.*\p{L})[\p{L}\p{N}]+$/u;
const PLAIN = /^[\u0020-\u007e\u4e00-\u9fff]*$/;

/** Names and queries as compared: NFKC (full-width to ASCII), lower case, no controls, single spaces. */
export function searchText(s: string): string {
  // Most names are printable ASCII and common Han characters, which NFKC leaves alone and which
  // hold no controls: skip the normalisation for them (a third of the build time otherwise).
  const t = PLAIN.test(s) ? s : s.normalize('NFKC').replace(CONTROLS, ' ');
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The first index whose key is >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key is > `key`. */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted (key, slot, kind) entries: a large main array and a small delta for changes since. */
class SortedKeys {
  /** Inserts wait in the delta until it has this many entries; merging is linear in the whole. */
  private static readonly MAX_DELTA = 4096;
  private keys: string[] = [];
  private slots = new Int32Array(0);
  private kinds = new Uint8Array(0);
  private dKeys: string[] = [];
  private dSlots: number[] = [];
  private dKinds: number[] = [];

  get size(): number {
    return this.keys.length + this.dKeys.length;
  }

  load(keys: string[], slots: readonly number[], kinds: readonly number[]): void {
    const order = sortedOrder(keys);
    this.keys = Array.from(order, (i) => keys[i]!);
    this.slots = Int32Array.from(order, (i) => slots[i]!);
    this.kinds = Uint8Array.from(order, (i) => kinds[i]!);
    this.dKeys = [];
    this.dSlots = [];
    this.dKinds = [];
  }

  insert(key: string, slot: number, kind: number): void {
    const at = upperBound(this.dKeys, key);
    this.dKeys.splice(at, 0, key);
    this.dSlots.splice(at, 0, slot);
    this.dKinds.splice(at, 0, kind);
    if (this.dKeys.length >= SortedKeys.MAX_DELTA) this.merge(() => true);
  }

  /** Drops the entries of dead slots (and merges the delta). */
  compact(isLive: (slot: number) => boolean): void {
    this.merge(isLive);
  }

  private merge(keep: (slot: number) => boolean): void {
    const total = this.size;
    const keys: string[] = [];
    const slots = new Int32Array(total);
    const kinds = new Uint8Array(total);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.keys.length || j < this.dKeys.length) {
      const fromMain = j >= this.dKeys.length || (i < this.keys.length && this.keys[i]! <= this.dKeys[j]!);
      const key = fromMain ? this.keys[i]! : this.dKeys[j]!;
      const slot = fromMain ? this.slots[i]! : this.dSlots[j]!;
      const kind = fromMain ? this.kinds[i]! : this.dKinds[j]!;
      if (fromMain) i += 1;
      else j += 1;
      if (!keep(slot)) continue;
      keys.push(key);
      slots[n] = slot;
      kinds[n] = kind;
      n += 1;
    }
    this.keys = keys;
    this.slots = slots.slice(0, n);
    this.kinds = kinds.slice(0, n);
    this.dKeys = [];
    this.dSlots = [];
    this.dKinds = [];
  }

  /** Visits the entries whose key starts with `prefix`, in key order, until `visit` returns false. */
  scan(prefix: string, visit: (key: string, slot: number, kind: number) => boolean): void {
    let i = lowerBound(this.keys, prefix);
    let j = lowerBound(this.dKeys, prefix);
    for (;;) {
      const a = i < this.keys.length && this.keys[i]!.startsWith(prefix) ? this.keys[i]! : null;
      const b = j < this.dKeys.length && this.dKeys[j]!.startsWith(prefix) ? this.dKeys[j]! : null;
      if (a === null && b === null) return;
      if (b === null || (a !== null && a <= b)) {
        if (!visit(a!, this.slots[i]!, this.kinds[i]!)) return;
        i += 1;
      } else {
        if (!visit(b, this.dSlots[j]!, this.dKinds[j]!)) return;
        j += 1;
      }
    }
  }
}

/** Records joined as '\u0001' + text + '\u0001' + text ... in chunks, for indexOf. */
interface BlobChunk {
  texts: string[];
  slots: number[];
  /** Offsets of the token starts inside each record, as UTF-16 code units; null: every offset is one. */
  bounds: (string | null)[];
  /** The joined text and the offset of each record's separator; null until the next scan after a change. */
  text: string | null;
  starts: Int32Array | null;
}

const SEPARATOR = '\u0001';
const SEPARATOR_CODE = 1;

const NEXT_RECORD = 0;
const NEXT_OCCURRENCE = 1;
const STOP = 2;
type ScanStep = typeof NEXT_RECORD | typeof NEXT_OCCURRENCE | typeof STOP;

class TextBlob {
  /**
   * Records per chunk: an addition re-joins only the last chunk (at most this many records, a
   * millisecond or so), while few chunks keep a scan to few indexOf calls.
   */
  private static readonly CHUNK_RECORDS = 16384;
  private chunks: BlobChunk[] = [];
  private records = 0;

  get size(): number {
    return this.records;
  }

  add(slot: number, text: string, bounds: string | null): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || chunk.texts.length >= TextBlob.CHUNK_RECORDS) {
      chunk = { texts: [], slots: [], bounds: [], text: null, starts: null };
      this.chunks.push(chunk);
    }
    chunk.texts.push(text);
    chunk.slots.push(slot);
    chunk.bounds.push(bounds);
    chunk.text = null;
    chunk.starts = null;
    this.records += 1;
  }

  compact(isLive: (slot: number) => boolean): void {
    const old = this.chunks;
    this.chunks = [];
    this.records = 0;
    for (const c of old) {
      c.texts.forEach((text, i) => {
        if (isLive(c.slots[i]!)) this.add(c.slots[i]!, text, c.bounds[i]!);
      });
    }
  }

  /** Joins every chunk changed since the last scan. */
  prepare(): void {
    for (const chunk of this.chunks) TextBlob.join(chunk);
  }

  private static join(chunk: BlobChunk): { text: string; starts: Int32Array } {
    if (chunk.text === null || chunk.starts === null) {
      chunk.text = SEPARATOR + chunk.texts.join(SEPARATOR);
      const starts = new Int32Array(chunk.texts.length);
      let offset = 0;
      chunk.texts.forEach((t, i) => {
        starts[i] = offset;
        offset += t.length + 1;
      });
      chunk.starts = starts;
    }
    return { text: chunk.text, starts: chunk.starts };
  }

  /**
   * Visits the occurrences of `needle` (which never contains the separator) in record order:
   * the record's slot, text, bounds and the offset of the occurrence in it. `visit` answers
   * NEXT_RECORD, NEXT_OCCURRENCE (in the same record) or STOP. `wanted`, asked first whether
   * an occurrence at a record's start (or inside one) is of interest, lets frequent unwanted
   * occurrences cost one character comparison instead of a binary search.
   */
  scan(
    needle: string,
    visit: (slot: number, text: string, at: number, bounds: string | null) => ScanStep,
    wanted: (atStart: boolean) => boolean = () => true,
  ): void {
    for (const chunk of this.chunks) {
      const { text, starts } = TextBlob.join(chunk);
      let pos = text.indexOf(needle);
      while (pos >= 0) {
        // pos > 0: every chunk's text starts with the separator, which the needle never holds.
        if (!wanted(text.charCodeAt(pos - 1) === SEPARATOR_CODE)) {
          pos = text.indexOf(needle, pos + 1);
          continue;
        }
        // The record holding pos: the last separator at or before it.
        let lo = 0;
        let hi = starts.length;
        while (hi - lo > 1) {
          const mid = (lo + hi) >>> 1;
          if (starts[mid]! <= pos) lo = mid;
          else hi = mid;
        }
        const begin = starts[lo]! + 1;
        const step = visit(chunk.slots[lo]!, chunk.texts[lo]!, pos - begin, chunk.bounds[lo]!);
        if (step === STOP) return;
        pos = text.indexOf(needle, step === NEXT_RECORD ? begin + chunk.texts[lo]!.length : pos + 1);
      }
    }
  }
}

interface Candidate {
  slot: number;
  rank: number;
  key: string;
  kind: number;
  sku: string;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank >= RANK_NAME_PREFIX) return a.slot - b.slot;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.kind !== b.kind) return a.kind - b.kind;
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/** The best `n` of `items`, sorted: a bounded insertion that rejects most items with one comparison. */
function best<T>(items: Iterable<T>, n: number, compare: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === n && compare(item, top[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(top[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, item);
    if (top.length > n) top.pop();
  }
  return top;
}

/**
 * Exact-match maps hold one slot as a number and only collisions as an array: a catalogue has
 * hundreds of thousands of keys and almost all of them belong to one product.
 */
type SlotMap = Map<string, number | number[]>;

function addTo(map: SlotMap, key: string, slot: number): void {
  const slots = map.get(key);
  if (slots === undefined) map.set(key, slot);
  else if (typeof slots === 'number') map.set(key, [slots, slot]);
  else slots.push(slot);
}

function removeFrom(map: SlotMap, key: string, slot: number): void {
  const slots = map.get(key);
  if (slots === undefined) return;
  const rest = typeof slots === 'number' ? [] : slots.filter((s) => s !== slot);
  if (rest.length === 0) map.delete(key);
  else map.set(key, rest.length === 1 ? rest[0]! : rest);
}

function slotsIn(map: SlotMap, key: string): readonly number[] {
  const slots = map.get(key);
  return slots === undefined ? [] : typeof slots === 'number' ? [slots] : slots;
}

/** The distinct names of a product, as compared. */
function namesOf(product: CatalogueProduct): string[] {
  return [...new Set(PRODUCT_NAME_LANGUAGES.map((l) => searchText(product.names[l])).filter((n) => n !== ''))];
}

/** Token start offsets of a joined reading, as a string of code units (offsets of at most 65535). */
function boundsOf(tokens: readonly string[]): string {
  let at = 0;
  let s = '';
  for (const t of tokens) {
    s += String.fromCharCode(at);
    at += t.length;
  }
  return s;
}

function sameKeys(a: CatalogueProduct, b: CatalogueProduct): boolean {
  return (
    a.sku === b.sku &&
    a.mnemonic === b.mnemonic &&
    a.barcodes.length === b.barcodes.length &&
    a.barcodes.every((c, i) => c === b.barcodes[i]) &&
    PRODUCT_NAME_LANGUAGES.every((l) => a.names[l] === b.names[l])
  );
}

interface PendingEntries {
  keys: string[];
  slots: number[];
  kinds: number[];
}

export class CatalogueSearchIndex {
  private readonly maxReadings: number | undefined;
  /** By slot; undefined once removed. Slots are never reused. */
  private readonly products: (CatalogueProduct | undefined)[] = [];
  /** Entries (sorted keys and blob records) each slot holds, to know when to compact. */
  private readonly entryCounts: number[] = [];
  private readonly slotBySku = new Map<string, number>();
  private readonly byCode: SlotMap = new Map();
  /** Whole names, so an exact name ranks 1 whatever the scans skip. */
  private readonly byName: SlotMap = new Map();
  private readonly codes = new SortedKeys();
  private readonly pinyin = new SortedKeys();
  /** Names with a Han character, and the others: a query with Han characters scans only the first. */
  private readonly hanNames = new TextBlob();
  private readonly otherNames = new TextBlob();
  private readonly readings = new TextBlob();
  private liveEntries = 0;
  private deadEntries = 0;

  constructor(options: CatalogueSearchIndexOptions = {}) {
    this.maxReadings = options.maxReadings;
  }

  /**
   * An index of all the products at once: every key array sorted once, rather than filled
   * through the deltas. Products given without keys get them computed (pinyin conversion is
   * most of the build time). Throws a RangeError on a SKU given twice.
   */
  static build(entries: Iterable<CatalogueProduct | IndexEntry>, options: CatalogueSearchIndexOptions = {}): CatalogueSearchIndex {
    const index = new CatalogueSearchIndex(options);
    const codes: PendingEntries = { keys: [], slots: [], kinds: [] };
    const pinyin: PendingEntries = { keys: [], slots: [], kinds: [] };
    for (const entry of entries) {
      const { product, keys } = 'product' in entry ? entry : { product: entry, keys: undefined };
      index.register(product, keys, codes, pinyin);
    }
    index.codes.load(codes.keys, codes.slots, codes.kinds);
    index.pinyin.load(pinyin.keys, pinyin.slots, pinyin.kinds);
    // Join the blobs now rather than in the first search.
    index.hanNames.prepare();
    index.otherNames.prepare();
    index.readings.prepare();
    return index;
  }

  /** Products in the index. */
  get size(): number {
    return this.slotBySku.size;
  }

  has(sku: string): boolean {
    return this.slotBySku.has(sku);
  }

  get(sku: string): CatalogueProduct | undefined {
    const slot = this.slotBySku.get(sku);
    return slot === undefined ? undefined : this.products[slot];
  }

  /**
   * Adds a product whose SKU is not in the index yet (a RangeError otherwise), at the end of
   * index order. `keys`: productSearchKeys(product) if the caller kept them (else computed).
   */
  add(product: CatalogueProduct, keys?: ProductSearchKeys): void {
    if (this.slotBySku.has(product.sku)) throw new RangeError(`SKU ${product.sku} is already in the index`);
    this.register(product, keys, null, null);
  }

  /**
   * Replaces the product with the same SKU (a RangeError if there is none). A change of price,
   * category, measure or active flag replaces it in place (it keeps its place in index order);
   * a change of codes, names or mnemonic re-indexes it (it moves to the end). `keys`, when given,
   * must be productSearchKeys(product), as for add.
   */
  update(product: CatalogueProduct, keys?: ProductSearchKeys): void {
    const slot = this.slotBySku.get(product.sku);
    const old = slot === undefined ? undefined : this.products[slot];
    if (slot === undefined || old === undefined) throw new RangeError(`SKU ${product.sku} is not in the index`);
    if (sameKeys(old, product)) {
      this.products[slot] = product;
      return;
    }
    this.remove(product.sku);
    this.register(product, keys, null, null);
  }

  /** add or update. */
  upsert(product: CatalogueProduct, keys?: ProductSearchKeys): void {
    if (this.slotBySku.has(product.sku)) this.update(product, keys);
    else this.add(product, keys);
  }

  /** Removes the product with this SKU; false when there is none. */
  remove(sku: string): boolean {
    const slot = this.slotBySku.get(sku);
    const product = slot === undefined ? undefined : this.products[slot];
    if (slot === undefined || product === undefined) return false;
    this.products[slot] = undefined;
    this.slotBySku.delete(sku);
    for (const code of product.barcodes) removeFrom(this.byCode, code, slot);
    for (const name of namesOf(product)) removeFrom(this.byName, name, slot);
    const entries = this.entryCounts[slot] ?? 0;
    this.liveEntries -= entries;
    this.deadEntries += entries;
    // Dead entries cost scan time and memory; drop them once they outnumber the live ones.
    if (this.deadEntries > Math.max(this.liveEntries, 10_000)) this.compact();
    return true;
  }

  /** Drops the entries of removed products now. */
  compact(): void {
    const isLive = (slot: number): boolean => this.products[slot] !== undefined;
    this.codes.compact(isLive);
    this.pinyin.compact(isLive);
    this.hanNames.compact(isLive);
    this.otherNames.compact(isLive);
    this.readings.compact(isLive);
    this.deadEntries = 0;
    // Join the rebuilt blobs now rather than in the next search.
    this.hanNames.prepare();
    this.otherNames.prepare();
    this.readings.prepare();
  }

  /**
   * The products holding this code (in any form: '012345678905' finds the product stored with
   * 0012345678905, '00123' the PLU 123), inactive ones included: a till that scans an inactive
   * product should say so rather than "not found". Normally one product.
   */
  findByCode(code: string): CatalogueProduct[] {
    const parsed = normaliseProductCode(code);
    if (!parsed.ok) return [];
    return slotsIn(this.byCode, parsed.code).flatMap((slot) => {
      const p = this.products[slot];
      return p === undefined ? [] : [p];
    });
  }

  /** The best `limit` matches for what the cashier typed (see the module comment for the order). */
  search(query: string, limit: number = DEFAULT_SEARCH_LIMIT, options: SearchOptions = {}): CatalogueSearchHit[] {
    const n = Math.min(MAX_SEARCH_LIMIT, Math.floor(limit));
    const text = searchText(query);
    if (!(n >= 1) || text === '') return [];
    // Codes and pinyin are typed without spaces (and pinyin keyboards put ' between syllables).
    const compact = text.replace(/[\s']/g, '');
    const includeInactive = options.includeInactive ?? false;
    const found = new Map<number, Candidate>();
    const offer = (slot: number, rank: number, key: string, kind: number): boolean => {
      const product = this.products[slot];
      if (product === undefined || (!includeInactive && !product.active)) return false;
      const candidate: Candidate = { slot, rank, key, kind, sku: product.sku };
      const current = found.get(slot);
      if (current === undefined || compareCandidates(candidate, current) < 0) found.set(slot, candidate);
      return true;
    };

    // An exact SKU is the first key of its range in the codes array (scanned below); a code in
    // another form (a UPC-A, a PLU with zeros) is found by its lookup form here.
    const code = normaliseProductCode(compact);
    if (code.ok) for (const slot of slotsIn(this.byCode, code.code)) offer(slot, RANK_EXACT_CODE, code.code.toLowerCase(), BARCODE);
    for (const slot of slotsIn(this.byName, text)) offer(slot, RANK_EXACT_KEY, text, NAME);

    // Prefixes: each sorted array read until it has given n products (and every product tied
    // with the n-th), which is all it can contribute to the best n.
    const scanPrefix = (keys: SortedKeys, prefix: string, exactRank: number, onlyKind: number | null): void => {
      const given = new Set<number>();
      let lastKey = '';
      keys.scan(prefix, (key, slot, kind) => {
        if (given.size >= n && key !== lastKey) return false;
        if (onlyKind !== null && kind !== onlyKind) return true;
        if (offer(slot, key === prefix ? exactRank : RANK_PREFIX, key, kind) && !given.has(slot)) {
          given.add(slot);
          lastKey = key;
        }
        return true;
      });
    };
    scanPrefix(this.codes, compact, RANK_EXACT_CODE, null);
    // A UPC-A is stored in its EAN-13 form: what starts a UPC-A starts the stored code after its 0.
    if (/^[0-9]{1,11}$/.test(compact)) scanPrefix(this.codes, `0${compact}`, RANK_PREFIX, BARCODE);
    // Readings and mnemonics are letters and digits: a query with Han characters is no pinyin.
    const queryHasHan = HAN.test(text);
    if (!queryHasHan) scanPrefix(this.pinyin, compact, RANK_EXACT_KEY, null);

    // Fewer than n products of rank 0-2 means every prefix range above was read to its end:
    // only then can a substring match make the answer.
    if (found.size < n) {
      // Ranks 3-6 go by index order and a product's records are consecutive in a blob, so the
      // first n products with a hit of a rank in a blob are that blob's best n of that rank:
      // each scan of a blob takes at most n products per rank, and stops once its best rank has them.
      const taken = new Int32Array(RANK_LOOSE + 1);
      const lastTaken = new Int32Array(RANK_LOOSE + 1);
      const take = (slot: number, rank: number, key: string, kind: number): void => {
        if (taken[rank]! >= n || !offer(slot, rank, key, kind)) return;
        if (lastTaken[rank] !== slot) {
          lastTaken[rank] = slot;
          taken[rank] = taken[rank]! + 1;
        }
      };
      for (const blob of queryHasHan ? [this.hanNames] : [this.hanNames, this.otherNames]) {
        taken.fill(0);
        lastTaken.fill(-1);
        // One pass: name starts (rank 3) until n products have one, anything inside (rank 5)
        // while fewer than n do. An exact name (as long as the query) came from byName.
        blob.scan(
          text,
          (slot, name, at) => {
            if (at !== 0) take(slot, RANK_NAME_WITHIN, name, NAME);
            else if (name.length !== text.length) take(slot, RANK_NAME_PREFIX, name, NAME);
            return taken[RANK_NAME_PREFIX]! >= n ? STOP : NEXT_RECORD;
          },
          (atStart) => atStart || taken[RANK_NAME_WITHIN]! < n,
        );
      }
      let better = 0;
      for (const c of found.values()) if (c.rank <= RANK_NAME_PREFIX) better += 1;
      // Readings hold letters and digits only, so a query with '-' or '.' is a code, not pinyin;
      // and their digits are the names' digits, which the name scan has already looked through,
      // so a query of digits alone (a code being typed) skips them too.
      if (!queryHasHan && better < n && READING_QUERY.test(compact)) {
        taken.fill(0);
        lastTaken.fill(-1);
        this.readings.scan(
          compact,
          (slot, reading, at, bounds) => {
            // bounds null: an initials record, where every character starts a token.
            const kind = bounds === null ? INITIALS : PINYIN;
            if (bounds === null || bounds.includes(String.fromCharCode(at))) {
              take(slot, RANK_ALIGNED, reading, kind);
              return taken[RANK_ALIGNED]! >= n ? STOP : NEXT_RECORD;
            }
            take(slot, RANK_LOOSE, reading, kind);
            // The same reading may hold an aligned occurrence further on.
            return NEXT_OCCURRENCE;
          },
          // A reading's start is a prefix: read from the sorted array already.
          (atStart) => !atStart,
        );
      }
    }

    return best(found.values(), n, compareCandidates).map((c) => ({
      product: this.products[c.slot]!,
      match: KIND_NAMES[c.kind]!,
      position: POSITIONS[c.rank]!,
      rank: c.rank,
      key: c.key,
    }));
  }

  /**
   * Indexes a product in a new slot. With `pending` (a bulk build) the sorted keys are collected
   * there to be sorted once; without, they go through the deltas.
   */
  private register(product: CatalogueProduct, given: ProductSearchKeys | undefined, codes: PendingEntries | null, pinyin: PendingEntries | null): void {
    if (this.slotBySku.has(product.sku)) throw new RangeError(`SKU ${product.sku} is given twice`);
    const slot = this.products.length;
    this.products.push(product);
    this.slotBySku.set(product.sku, slot);
    const keys = given ?? productSearchKeys(product, { maxReadings: this.maxReadings });
    let entries = 0;
    const sorted = (target: SortedKeys, pending: PendingEntries | null, key: string, kind: number): void => {
      if (pending === null) target.insert(key, slot, kind);
      else {
        pending.keys.push(key);
        pending.slots.push(slot);
        pending.kinds.push(kind);
      }
      entries += 1;
    };

    sorted(this.codes, codes, product.sku.toLowerCase(), SKU);
    for (const code of product.barcodes) {
      addTo(this.byCode, code, slot);
      sorted(this.codes, codes, code.toLowerCase(), BARCODE);
    }
    for (const name of namesOf(product)) {
      addTo(this.byName, name, slot);
      (HAN.test(name) ? this.hanNames : this.otherNames).add(slot, name, null);
      entries += 1;
    }
    if (keys.mnemonic !== null) sorted(this.pinyin, pinyin, keys.mnemonic, MNEMONIC);
    const fulls = new Set<string>();
    const initials = new Set<string>();
    keys.readings.forEach((tokens, r) => {
      const full = fullKey(tokens);
      if (full !== '' && !fulls.has(full)) {
        fulls.add(full);
        sorted(this.pinyin, pinyin, full, PINYIN);
        // Substrings of the contextual reading only: the polyphone variants would double the
        // text scanned for a rarely useful match (their prefixes are in the sorted array).
        if (r === 0) {
          this.readings.add(slot, full, boundsOf(tokens));
          entries += 1;
        }
      }
      const first = initialsKey(tokens);
      if (first !== '' && !initials.has(first)) {
        initials.add(first);
        sorted(this.pinyin, pinyin, first, INITIALS);
        this.readings.add(slot, first, null);
        entries += 1;
      }
    });
    this.entryCounts[slot] = entries;
    this.liveEntries += entries;
  }
}
