/**
 * ESC/POS encoder figures: encoder throughput, bytes per typical receipt, and how long those
 * bytes take on a serial line at 9600 and 115200 baud (8N1 = 10 bits per byte) compared with
 * how long the printer needs to print them; and the same receipt for a printer without a
 * Chinese font, its Chinese lines drawn as GS v 0 pictures from Noto Sans CJK (font load, first
 * render with an empty glyph cache, warm render). Prints figures; asserts nothing.
 *
 *   npx tsx bench/escpos-encoder.bench.ts
 */
import { pathToFileURL } from 'node:url';
import {
  CjkRasterFallback,
  LABELS_ZH_HANS,
  LABELS_ZH_HANT,
  PROFILE_58MM_GB18030,
  PROFILE_80MM_BIG5,
  PROFILE_80MM_GB18030,
  PROFILE_80MM_LATIN,
  renderReceipt,
  type PrinterProfile,
  type ReceiptLabels,
} from '../src-main/devices/printer';
import type { ReceiptDoc, ReceiptLine } from '../src-shared/receipt';

const SIMPLIFIED_ITEMS = ['农夫山泉 矿泉水 550ml', '康师傅红烧牛肉面', '蒙牛纯牛奶 250ml×12', '进口新西兰奇异果（金果）礼盒装', 'Organic jasmine green tea 500ml'];
const TRADITIONAL_ITEMS = ['烏龍茶 600ml', '統一肉燥麵', '光泉鮮乳 936ml', '進口紐西蘭奇異果禮盒', 'Organic jasmine green tea 500ml'];

function receipt(items: number, names: string[]): ReceiptDoc {
  const lines: ReceiptLine[] = [];
  let gross = 0;
  for (let i = 0; i < items; i += 1) {
    const qty = (i % 3) + 1;
    const unit = 150 + ((i * 377) % 2000);
    lines.push({ description: names[i % names.length] ?? 'item', qty, unitMinor: unit, lineMinor: qty * unit });
    gross += qty * unit;
  }
  return {
    store: { name: '滨江路便利店', addressLines: ['上海市浦东新区滨江大道1号'], phone: '021-5555 1234' },
    terminal: 'T01',
    cashier: '张三',
    receiptId: 'R-20261120-0042',
    time: '2026-11-20 14:03',
    currency: { code: 'CNY', symbol: '¥', minorDigits: 2 },
    lines,
    totals: { grossMinor: gross, pointsRedeemed: 500, pointsRedeemedValueMinor: 500, paidMinor: gross - 500 },
    member: {
      maskedPhone: '138****5678',
      tier: '金卡',
      pointsEarned: Math.floor(gross / 100),
      pointsRedeemed: 500,
      newBalance: 1234,
      expiringSoon: { points: 120, date: '2026-12-31' },
    },
    ruleSetVersion: '7',
    footer: ['谢谢惠顾，欢迎再次光临'],
  };
}

/** Printed lines in a receipt (LF and ESC d feeds), for a paper-length estimate. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === 0x0a) n += 1;
    else if (bytes[i] === 0x1b && bytes[i + 1] === 0x64) n += bytes[i + 2] ?? 0;
  }
  return n;
}

export interface EncoderBenchResult {
  name: string;
  bytes: number;
  printedLines: number;
  msAt9600: number;
  msAt115200: number;
  /** Estimated time for the print mechanism at 250 mm/s (4.23 mm per line + 20 mm QR). */
  msPrintAt250mmPerS: number;
}

export function runEscposEncoderBench(): { receipts: EncoderBenchResult[]; throughput: { receiptsPerSecond: number; megabytesPerSecond: number; meanMicroseconds: number } } {
  const cases: Array<[string, ReceiptDoc, PrinterProfile, ReceiptLabels]> = [
    ['80 mm GB18030, 3 items, member', receipt(3, SIMPLIFIED_ITEMS), PROFILE_80MM_GB18030, LABELS_ZH_HANS],
    ['80 mm GB18030, 25 items, member (typical)', receipt(25, SIMPLIFIED_ITEMS), PROFILE_80MM_GB18030, LABELS_ZH_HANS],
    ['58 mm GB18030, 25 items, member', receipt(25, SIMPLIFIED_ITEMS), PROFILE_58MM_GB18030, LABELS_ZH_HANS],
    ['80 mm Big5, 25 items, member', { ...receipt(25, TRADITIONAL_ITEMS), store: { name: '信義路門市', addressLines: ['台北市信義區信義路五段7號'] }, cashier: '陳小明', footer: ['謝謝光臨'] }, PROFILE_80MM_BIG5, LABELS_ZH_HANT],
  ];
  const receipts: EncoderBenchResult[] = cases.map(([name, doc, profile, labels]) => {
    const bytes = renderReceipt(doc, { profile, labels, openDrawer: true });
    const printedLines = countLines(bytes);
    return {
      name,
      bytes: bytes.length,
      printedLines,
      msAt9600: (bytes.length * 10 * 1000) / 9600,
      msAt115200: (bytes.length * 10 * 1000) / 115200,
      msPrintAt250mmPerS: ((printedLines * 4.23 + 20) / 250) * 1000,
    };
  });

  // Throughput on the typical receipt: warm up, then run for about a second.
  const typical = cases[1];
  if (typical === undefined) throw new Error('no typical case');
  const [, doc, profile, labels] = typical;
  for (let i = 0; i < 200; i += 1) renderReceipt(doc, { profile, labels });
  let n = 0;
  let total = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < 1_000_000_000n) {
    for (let i = 0; i < 50; i += 1) total += renderReceipt(doc, { profile, labels }).length;
    n += 50;
    elapsedNs = process.hrtime.bigint() - start;
  }
  const seconds = Number(elapsedNs) / 1e9;
  return {
    receipts,
    throughput: {
      receiptsPerSecond: n / seconds,
      megabytesPerSecond: total / seconds / 1e6,
      meanMicroseconds: (seconds / n) * 1e6,
    },
  };
}

export interface RasterBenchResult {
  fontLoadMs: number;
  /** First receipt: every glyph drawn (empty glyph cache). */
  coldMs: number;
  /** Mean over about a second of receipts with the glyph cache warm. */
  warmMeanMs: number;
  bytes: number;
  pictures: number;
  msAt9600: number;
  msAt115200: number;
  textBytes: number;
}

/** The typical receipt (25 items, member) on an 80 mm printer without a Chinese font. */
export async function runRasterReceiptBench(): Promise<RasterBenchResult> {
  const doc = receipt(25, SIMPLIFIED_ITEMS);
  const t0 = performance.now();
  const rasteriser = await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser();
  const fontLoadMs = performance.now() - t0;
  const problems = rasteriser.takeReport().problems;
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join(' '));
  const options = { profile: PROFILE_80MM_LATIN, labels: LABELS_ZH_HANS, rasterFallback: rasteriser.rasterise };
  const t1 = performance.now();
  const bytes = renderReceipt(doc, options);
  const coldMs = performance.now() - t1;
  let pictures = 0;
  for (let i = 0; i + 2 < bytes.length; i += 1) if (bytes[i] === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) pictures += 1;
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    renderReceipt(doc, options);
    n += 1;
  }
  const textBytes = renderReceipt(doc, { profile: PROFILE_80MM_GB18030, labels: LABELS_ZH_HANS }).length;
  return {
    fontLoadMs,
    coldMs,
    warmMeanMs: (performance.now() - start) / n,
    bytes: bytes.length,
    pictures,
    msAt9600: (bytes.length * 10 * 1000) / 9600,
    msAt115200: (bytes.length * 10 * 1000) / 115200,
    textBytes,
  };
}

async function print(): Promise<void> {
  const r = runEscposEncoderBench();
  console.log('ESC/POS encoder (renderReceipt) - Node', process.version);
  console.log(
    `throughput: ${r.throughput.receiptsPerSecond.toFixed(0)} typical receipts/s, ` +
      `${r.throughput.megabytesPerSecond.toFixed(2)} MB/s, ${r.throughput.meanMicroseconds.toFixed(0)} us per receipt`,
  );
  console.log('');
  console.log('receipt                                      bytes  lines  @9600 8N1  @115200 8N1  print @250mm/s (est.)');
  for (const x of r.receipts) {
    console.log(
      `${x.name.padEnd(44)} ${String(x.bytes).padStart(5)}  ${String(x.printedLines).padStart(5)}  ` +
        `${(x.msAt9600 / 1000).toFixed(2).padStart(7)} s  ${(x.msAt115200 / 1000).toFixed(3).padStart(9)} s  ` +
        `${(x.msPrintAt250mmPerS / 1000).toFixed(2).padStart(8)} s`,
    );
  }
  console.log('');
  console.log('Link limits: 9600 baud = 960 bytes/s, 115200 baud = 11520 bytes/s (8N1). Pseudo-terminals ignore the');
  console.log('baud rate, so these times are computed, not measured. The print estimate assumes 4.23 mm per line.');

  const x = await runRasterReceiptBench();
  console.log('');
  console.log('Raster fallback: the typical receipt (25 items, member) on an 80 mm printer without a Chinese font');
  console.log(`  font load (fontkit import + Noto Sans CJK .ttc, once per process): ${x.fontLoadMs.toFixed(0)} ms`);
  console.log(`  encode, empty glyph cache: ${x.coldMs.toFixed(1)} ms; warm: ${x.warmMeanMs.toFixed(2)} ms per receipt`);
  console.log(
    `  ${x.bytes} bytes (${x.pictures} picture lines; ${x.textBytes} bytes as GB18030 text): ` +
      `${(x.msAt9600 / 1000).toFixed(1)} s @9600, ${(x.msAt115200 / 1000).toFixed(2)} s @115200 8N1`,
  );
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) void print();
