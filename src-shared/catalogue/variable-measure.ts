/**
 * Variable-measure (scale) barcodes: restricted-circulation EAN-13s that carry a store's item
 * code and the label's price or weight. A configurable nomenclature table says how each prefix
 * is laid out, because scales print what the store set them to print and no one layout is
 * standard (GS1 leaves it to the national GS1 office; GB/T 18283 documents several).
 *
 * A layout reads the 13-digit (EAN-13) form of the code, left to right:
 *
 *   prefix | item code | [price/measure verifier] | value | EAN-13 check digit
 *
 * A UPC-A label (12 digits, number system 2) is read in its EAN-13 form, so its layouts have
 * the prefix '02'. Both check digits are verified before anything is looked up: the EAN-13
 * check digit over the whole code and, when the layout has one, the GS1 price/measure verifier
 * over the value. Pure TypeScript: no node:*, no Buffer.
 */
import { z } from 'zod';
import { DomainError } from '../errors/domain-error';
import { gs1CheckDigit, gs1CheckDigitValid, MAX_PLU_DIGITS, normaliseProductCode } from './gtin';

/** Every layout fills exactly the 13 digits of an EAN-13. */
export const VARIABLE_MEASURE_LENGTH = 13;

export type MeasureValueKind = 'price' | 'weight';

export interface VariableMeasureLayout {
  /** A name for settings screens and error details; unique within a table. */
  id: string;
  /**
   * The leading digits of the EAN-13 form that select this layout: '2' and what follows for
   * EAN-13 in-store codes (GS1 prefixes 200-299), '02' and what follows for UPC-A number system 2.
   * No prefix of a table may start another (one code, one layout).
   */
  prefix: string;
  /** Digits of the store's item code (the scale's PLU), at most MAX_PLU_DIGITS. */
  itemDigits: number;
  /** price: the label's amount to pay; weight: the net weight. */
  valueKind: MeasureValueKind;
  valueDigits: number;
  /**
   * Implied decimals of the value: of yuan for a price (0 to 2, so the amount is whole fen), of
   * kilograms for a weight (0 to 3, so the weight is whole grams). 2 for "amount in fen",
   * 3 for "weight in grams".
   */
  valueDecimals: number;
  /** A GS1 price/measure verifier digit sits between the item code and the value (4- or 5-digit values only). */
  verifier: boolean;
}

declare const checkedLayouts: unique symbol;
/** A layout table that passed checkVariableMeasureLayouts: the only kind the parser accepts. */
export type VariableMeasureLayouts = readonly Readonly<VariableMeasureLayout>[] & { readonly [checkedLayouts]: true };

export const variableMeasureLayoutSchema = z.object({
  id: z.string().trim().min(1).max(40),
  prefix: z.string().regex(/^(?:2|02)[0-9]{0,3}$/, 'a prefix is 2 or 02 followed by up to three digits'),
  itemDigits: z.number().int().min(1).max(MAX_PLU_DIGITS),
  valueKind: z.enum(['price', 'weight']),
  valueDigits: z.number().int().min(1).max(6),
  valueDecimals: z.number().int().min(0).max(3),
  verifier: z.boolean(),
});

const MAX_DECIMALS: Readonly<Record<MeasureValueKind, number>> = { price: 2, weight: 3 };

export const variableMeasureLayoutsSchema = z
  .array(variableMeasureLayoutSchema)
  .max(50)
  .superRefine((layouts, ctx) => {
    const ids = new Set<string>();
    layouts.forEach((l, index) => {
      const issue = (message: string, field: keyof VariableMeasureLayout) =>
        ctx.addIssue({ code: 'custom', message: `layout ${l.id}: ${message}`, path: [index, field] });
      if (ids.has(l.id)) issue('the id is used twice', 'id');
      ids.add(l.id);
      if (l.valueDecimals > MAX_DECIMALS[l.valueKind]) {
        issue(`a ${l.valueKind} has at most ${String(MAX_DECIMALS[l.valueKind])} decimals (whole ${l.valueKind === 'price' ? 'fen' : 'grams'})`, 'valueDecimals');
      }
      if (l.verifier && l.valueDigits !== 4 && l.valueDigits !== 5) issue('GS1 defines a verifier digit for 4- and 5-digit values only', 'verifier');
      const length = l.prefix.length + l.itemDigits + (l.verifier ? 1 : 0) + l.valueDigits + 1;
      if (length !== VARIABLE_MEASURE_LENGTH) {
        issue(`prefix, item code, verifier, value and check digit make ${String(length)} digits, not ${String(VARIABLE_MEASURE_LENGTH)}`, 'itemDigits');
      }
      layouts.forEach((other, j) => {
        if (j !== index && other.prefix.startsWith(l.prefix) && (other.prefix !== l.prefix || j > index)) {
          issue(`its prefix ${l.prefix} also selects layout ${other.id} (prefix ${other.prefix})`, 'prefix');
        }
      });
    });
  });

/**
 * Checks a nomenclature table (from settings or a file) and brands it for the parser. Throws
 * DomainError INVALID_BARCODE_LAYOUT naming the first problem (details: layoutIndex, field, problems).
 */
export function checkVariableMeasureLayouts(layouts: unknown): VariableMeasureLayouts {
  const parsed = variableMeasureLayoutsSchema.safeParse(layouts);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DomainError('INVALID_BARCODE_LAYOUT', `The scale barcode layouts are not valid: ${first?.message ?? 'unknown problem'}.`, {
      layoutIndex: typeof first?.path[0] === 'number' ? first.path[0] : null,
      field: typeof first?.path[1] === 'string' ? first.path[1] : null,
      problems: parsed.error.issues.map((i) => i.message),
    });
  }
  return Object.freeze(parsed.data.map((l) => Object.freeze(l))) as unknown as VariableMeasureLayouts;
}

/**
 * The layouts as Chinese supermarket scales print them by default (2 + flag + 5-digit PLU +
 * 5-digit value + EAN-13 check digit, no verifier digit): flag 0 counted goods with the amount
 * in fen, flag 1 weighed goods with the amount in fen (up to ¥999.99), flag 2 weighed goods with
 * the weight in grams (kilograms with 3 decimals, up to 99.999 kg). The flags are whatever the
 * store sets on its scales, so every store can replace this table.
 */
export const DEFAULT_VARIABLE_MEASURE_LAYOUTS: VariableMeasureLayouts = checkVariableMeasureLayouts([
  { id: 'cn-counted-amount', prefix: '20', itemDigits: 5, valueKind: 'price', valueDigits: 5, valueDecimals: 2, verifier: false },
  { id: 'cn-weighed-amount', prefix: '21', itemDigits: 5, valueKind: 'price', valueDigits: 5, valueDecimals: 2, verifier: false },
  { id: 'cn-weighed-weight', prefix: '22', itemDigits: 5, valueKind: 'weight', valueDigits: 5, valueDecimals: 3, verifier: false },
]);

// GS1 General Specifications, price/measure verifier digit. Each table maps a digit to the
// units digit of its weighted product: "2-" = units of 2d minus its tens, "3" = units of 3d,
// "5+" = units of 5d plus its tens, "5-" = units of 5d minus its tens (mod 10).
const W2_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7] as const;
const W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7] as const;
const W5_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9] as const;
const W5_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1] as const;
/** The digit whose "5-" product is the index (the inverse of W5_MINUS). */
const W5_MINUS_INVERSE = [0, 9, 7, 5, 3, 1, 8, 6, 4, 2] as const;

function weighted(table: readonly number[], digit: string): number {
  return table[digit.charCodeAt(0) - 48] ?? 0;
}

/**
 * The GS1 price/measure verifier digit of a 4- or 5-digit value.
 *   4 digits: weights 2-, 2-, 3, 5-; the verifier is the units digit of (sum x 3).
 *   5 digits: weights 5+, 2-, 5-, 5+, 2-; (10 - sum mod 10) mod 10 is the "5-" product of the
 *   verifier, read back through the inverse table.
 * GS1's own examples: 2875 -> 9, 14685 -> 6. Throws a RangeError for any other input.
 */
export function priceVerifierDigit(value: string): string {
  if (!/^[0-9]{4,5}$/.test(value)) throw new RangeError('priceVerifierDigit expects a 4- or 5-digit value');
  const d = [...value];
  if (d.length === 4) {
    const sum = weighted(W2_MINUS, d[0]!) + weighted(W2_MINUS, d[1]!) + weighted(W3, d[2]!) + weighted(W5_MINUS, d[3]!);
    return String((sum * 3) % 10);
  }
  const sum =
    weighted(W5_PLUS, d[0]!) + weighted(W2_MINUS, d[1]!) + weighted(W5_MINUS, d[2]!) + weighted(W5_PLUS, d[3]!) + weighted(W2_MINUS, d[4]!);
  return String(W5_MINUS_INVERSE[(10 - (sum % 10)) % 10]);
}

export type VariableMeasureValue = { valueKind: 'price'; priceMinor: number } | { valueKind: 'weight'; weightGrams: number };

export type VariableMeasureRejection = 'not_digits' | 'bad_length' | 'bad_check_digit' | 'no_layout' | 'bad_verifier_digit';

export type VariableMeasureParse =
  | ({
      ok: true;
      layoutId: string;
      /** The code in its 13-digit EAN-13 form. */
      code: string;
      /** The item code as printed, leading zeros included. */
      itemCode: string;
      /** The item code as a stored product code (an internal PLU code, leading zeros dropped): the key to look up. */
      productCode: string;
    } & VariableMeasureValue)
  | { ok: false; reason: VariableMeasureRejection };

const pow10 = (n: number): number => 10 ** n;

/** The layout whose prefix starts this 13-digit code, if any (prefixes never overlap in a checked table). */
export function layoutForCode(ean13: string, layouts: VariableMeasureLayouts): Readonly<VariableMeasureLayout> | undefined {
  return layouts.find((l) => ean13.startsWith(l.prefix));
}

/**
 * Reads a scale label: 13 digits (EAN-13) or 12 (UPC-A, read in its EAN-13 form), bare digits
 * only (classifyProductCode normalises what a scanner sends). Checks, in this order, the
 * characters, the length, the EAN-13 check digit, that a layout claims the prefix, and the
 * layout's verifier digit. Never throws.
 */
export function parseVariableMeasure(code: string, layouts: VariableMeasureLayouts): VariableMeasureParse {
  if (!/^[0-9]+$/.test(code)) return { ok: false, reason: 'not_digits' };
  if (code.length !== 12 && code.length !== 13) return { ok: false, reason: 'bad_length' };
  const ean13 = code.length === 12 ? `0${code}` : code;
  if (!gs1CheckDigitValid(ean13)) return { ok: false, reason: 'bad_check_digit' };
  const layout = layoutForCode(ean13, layouts);
  if (layout === undefined) return { ok: false, reason: 'no_layout' };
  let at = layout.prefix.length;
  const itemCode = ean13.slice(at, (at += layout.itemDigits));
  const verifier = layout.verifier ? ean13.charAt(at++) : null;
  const value = ean13.slice(at, at + layout.valueDigits);
  if (verifier !== null && priceVerifierDigit(value) !== verifier) return { ok: false, reason: 'bad_verifier_digit' };
  const product = normaliseProductCode(itemCode);
  // A checked layout has 1 to MAX_PLU_DIGITS item digits: always an internal PLU code.
  if (!product.ok) return { ok: false, reason: 'not_digits' };
  const amount = Number(value);
  const head = { ok: true as const, layoutId: layout.id, code: ean13, itemCode, productCode: product.code };
  return layout.valueKind === 'price'
    ? { ...head, valueKind: 'price', priceMinor: amount * pow10(2 - layout.valueDecimals) }
    : { ...head, valueKind: 'weight', weightGrams: amount * pow10(3 - layout.valueDecimals) };
}

/**
 * Prints a scale label's code (its EAN-13 form) for a layout of a checked table: for tests,
 * demo data and label printing. `itemCode` is padded with leading zeros to the layout's width.
 * Throws a RangeError when the item code or the value does not fit the layout (too many
 * digits, a price finer than the layout's decimals, a negative or fractional value, the wrong kind).
 */
export function buildVariableMeasure(layout: Readonly<VariableMeasureLayout>, itemCode: string, value: VariableMeasureValue): string {
  if (!/^[0-9]+$/.test(itemCode) || itemCode.length > layout.itemDigits) {
    throw new RangeError(`item code ${itemCode} does not fit ${String(layout.itemDigits)} digits`);
  }
  if (value.valueKind !== layout.valueKind) throw new RangeError(`layout ${layout.id} carries a ${layout.valueKind}, not a ${value.valueKind}`);
  const [units, step] =
    value.valueKind === 'price' ? [value.priceMinor, pow10(2 - layout.valueDecimals)] : [value.weightGrams, pow10(3 - layout.valueDecimals)];
  if (!Number.isSafeInteger(units) || units < 0 || units % step !== 0) {
    throw new RangeError(`${String(units)} is not a whole multiple of ${String(step)} for layout ${layout.id}`);
  }
  const digits = String(units / step);
  if (digits.length > layout.valueDigits) throw new RangeError(`${String(units)} does not fit ${String(layout.valueDigits)} digits`);
  const valueField = digits.padStart(layout.valueDigits, '0');
  const verifier = layout.verifier ? priceVerifierDigit(valueField) : '';
  const body = layout.prefix + itemCode.padStart(layout.itemDigits, '0') + verifier + valueField;
  if (body.length !== VARIABLE_MEASURE_LENGTH - 1) throw new RangeError(`layout ${layout.id} does not make a 13-digit code`);
  return body + gs1CheckDigit(body);
}
