/**
 * The catalogue's pure parts at a large store's size: N products with Chinese, Traditional and
 * English names (test/helpers/catalogue-fixtures.ts: brand + goods + variant + size, so most
 * goods words sit inside the name, as in a Chinese supermarket's catalogue). Times:
 *   - the pinyin keys of every product (what the core would store at import), then the search
 *     index built from those keys, and built from the products alone (keys computed on the way);
 *   - look-ups, one at a time after a warm-up, for five kinds of query taken from random
 *     products: 2 Han characters of a name, a SKU prefix, a barcode prefix, 2-3 syllables of
 *     full pinyin, 2-4 initials (both from a syllable inside the name or its start);
 *   - the CSV export of the catalogue and its dry-run import (UTF-8 with BOM, and the same file
 *     re-encoded as GB18030), with every code checked against the existing products.
 * Prints the targets (search p99 < 20 ms per query; a whole import < 10 s) and whether this run
 * met them. Asserts nothing.
 *
 *   npx tsx bench/catalogue-search.bench.ts [--products 100000] [--queries 1000] [--seed 1]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import iconv from 'iconv-lite';
import { Rng } from '../src-main/seed/prng';
import { catalogueCsvText, exportCatalogueCsv } from '../src-shared/catalogue/csv-export';
import { dryRunCatalogueCsv } from '../src-shared/catalogue/csv-import';
import { productSearchKeys, type ProductSearchKeys } from '../src-shared/catalogue/pinyin-keys';
import type { CatalogueProduct } from '../src-shared/catalogue/product';
import { CatalogueSearchIndex } from '../src-shared/catalogue/search-index';
import { generateCatalogue } from '../test/helpers/catalogue-fixtures';

const SEARCH_P99_TARGET_MS = 20;
const IMPORT_TARGET_S = 10;

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** The heap in use after a full collection, in MiB (gc exposed at run time: tsx gives no flags). */
function heapMiB(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

type QueryKind = 'name (2 Han characters)' | 'SKU prefix' | 'barcode prefix' | 'full pinyin' | 'initials';

/** A query a cashier might type to find `p`. */
function queryFor(kind: QueryKind, p: CatalogueProduct, keys: ProductSearchKeys, rng: Rng): string {
  const syllables = (keys.readings[0] ?? []).filter((t) => /^[a-z]+$/.test(t));
  switch (kind) {
    case 'name (2 Han characters)': {
      const han = [...p.names['zh-Hans']].filter((c) => /\p{Script=Han}/u.test(c));
      const at = rng.int(0, Math.max(0, han.length - 2));
      return han.slice(at, at + 2).join('');
    }
    case 'SKU prefix':
      return p.sku.slice(0, rng.int(6, p.sku.length)).toLowerCase();
    case 'barcode prefix': {
      const code = p.barcodes[0] ?? '';
      return code.slice(0, rng.int(Math.min(6, code.length), code.length));
    }
    case 'full pinyin': {
      const n = rng.int(2, 3);
      const at = rng.int(0, Math.max(0, syllables.length - n));
      return syllables.slice(at, at + n).join('');
    }
    case 'initials': {
      const n = rng.int(2, 4);
      const at = rng.int(0, Math.max(0, syllables.length - n));
      return syllables
        .slice(at, at + n)
        .map((s) => s[0])
        .join('');
    }
  }
}

export interface CatalogueBenchResult {
  products: number;
  generateMs: number;
  keysMs: number;
  buildFromKeysMs: number;
  buildFromProductsMs: number;
  indexHeapMiB: number;
  search: Record<QueryKind, { n: number; p50: number; p95: number; p99: number; max: number; meanHits: number }>;
  csv: { bytes: number; exportMs: number; dryRunUtf8Ms: number; dryRunGb18030Ms: number; issues: number; imported: number };
  machine: { cpus: number; loadAvgStart: number[]; loadAvgEnd: number[]; node: string };
}

export function runCatalogueBench(options: { products: number; queries: number; seed: number }): CatalogueBenchResult {
  const loadAvgStart = os.loadavg();
  const generated = timed(() => generateCatalogue(options.products, options.seed));
  const products = generated.value;
  const keys = timed(() => products.map((p) => productSearchKeys(p)));
  const entries = products.map((product, i) => ({ product, keys: keys.value[i]! }));
  const heapBefore = heapMiB();
  const fromKeys = timed(() => CatalogueSearchIndex.build(entries));
  const index = fromKeys.value;
  // What the index holds besides the products and their keys.
  const indexHeapMiB = heapMiB() - heapBefore;
  const fromProducts = timed(() => CatalogueSearchIndex.build(products));

  const rng = new Rng(options.seed, 0x5ea7c4);
  const kinds: QueryKind[] = ['name (2 Han characters)', 'SKU prefix', 'barcode prefix', 'full pinyin', 'initials'];
  const pick = () => {
    const i = rng.int(0, products.length - 1);
    return { p: products[i]!, k: keys.value[i]! };
  };
  for (let i = 0; i < 200; i += 1) {
    const { p, k } = pick();
    index.search(queryFor(kinds[i % kinds.length]!, p, k, rng)); // warm-up: the JIT, the caches
  }
  const search = {} as CatalogueBenchResult['search'];
  for (const kind of kinds) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < options.queries; i += 1) {
      const { p, k } = pick();
      const q = queryFor(kind, p, k, rng);
      const t = timed(() => index.search(q, 20));
      times.push(t.ms);
      hits += t.value.length;
    }
    times.sort((a, b) => a - b);
    search[kind] = { n: times.length, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), max: times[times.length - 1] ?? 0, meanHits: hits / times.length };
  }

  // The import checks every code against the products already in the till: a Map here, a
  // prepared statement in the core.
  const owners = new Map<string, string>();
  for (const p of products) for (const c of p.barcodes) owners.set(c, p.sku);
  const exported = timed(() => exportCatalogueCsv(products));
  const utf8 = timed(() => dryRunCatalogueCsv(exported.value, { existingBarcodeOwner: (c) => owners.get(c) }));
  const gbBytes = new Uint8Array(iconv.encode(catalogueCsvText(products), 'gb18030'));
  const gb = timed(() => dryRunCatalogueCsv(gbBytes, { existingBarcodeOwner: (c) => owners.get(c) }));

  return {
    products: products.length,
    generateMs: generated.ms,
    keysMs: keys.ms,
    buildFromKeysMs: fromKeys.ms,
    buildFromProductsMs: fromProducts.ms,
    indexHeapMiB,
    search,
    csv: {
      bytes: exported.value.length,
      exportMs: exported.ms,
      dryRunUtf8Ms: utf8.ms,
      dryRunGb18030Ms: gb.ms,
      issues: utf8.value.issues.length + gb.value.issues.length,
      imported: utf8.value.products.length,
    },
    machine: { cpus: os.cpus().length, loadAvgStart, loadAvgEnd: os.loadavg(), node: process.version },
  };
}

export function printCatalogueBench(r: CatalogueBenchResult): void {
  const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log('');
  console.log(`Catalogue bench: ${r.products.toLocaleString('en')} products`);
  console.log(`  fixtures      ${s(r.generateMs)} (names, Traditional names through OpenCC, codes)`);
  console.log(`  pinyin keys   ${s(r.keysMs)} for every product (pinyin-pro; what the core stores at import)`);
  console.log(`  index build   ${s(r.buildFromKeysMs)} from stored keys; ${s(r.buildFromProductsMs)} from the products alone (keys computed)`);
  console.log(`  index memory  ${r.indexHeapMiB.toFixed(0)} MiB of heap beside the products and their keys`);
  console.log(`  machine       ${r.machine.cpus} CPUs, load average ${r.machine.loadAvgStart.map((x) => x.toFixed(1)).join('/')} at start, ${r.machine.loadAvgEnd.map((x) => x.toFixed(1)).join('/')} at end, Node ${r.machine.node}`);
  console.log('');
  console.log(`  ${'search, limit 20 (ms)'.padEnd(26)} ${'n'.padStart(5)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)} ${'hits'.padStart(5)}   target p99 < ${SEARCH_P99_TARGET_MS} ms`);
  for (const [kind, q] of Object.entries(r.search)) {
    console.log(`  ${kind.padEnd(26)} ${String(q.n).padStart(5)} ${f(q.p50).padStart(7)} ${f(q.p95).padStart(7)} ${f(q.p99).padStart(7)} ${f(q.max).padStart(7)} ${q.meanHits.toFixed(1).padStart(5)}   ${q.p99 < SEARCH_P99_TARGET_MS ? 'met' : 'MISSED'}`);
  }
  console.log('');
  const c = r.csv;
  console.log(`  CSV           ${(c.bytes / 2 ** 20).toFixed(1)} MiB; export ${s(c.exportMs)}; dry run UTF-8 ${s(c.dryRunUtf8Ms)}, GB18030 ${s(c.dryRunGb18030Ms)}; ${c.imported.toLocaleString('en')} products, ${c.issues} issues`);
  const worst = Math.max(c.dryRunUtf8Ms, c.dryRunGb18030Ms);
  console.log(`  import target dry run < ${IMPORT_TARGET_S} s: ${worst / 1000 < IMPORT_TARGET_S ? 'met' : 'MISSED'} (the writes to the database are not part of this bench)`);
  console.log('');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
    },
  });
  printCatalogueBench(runCatalogueBench({ products: Number(values.products), queries: Number(values.queries), seed: Number(values.seed) }));
}
