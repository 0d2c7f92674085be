/**
 * What a scanned or typed product code is: a GTIN (with its kind), a store's internal code, a
 * scale label (variable measure), or invalid with a reason. Pure TypeScript.
 */
import { normaliseProductCode, type GtinKind, type ProductCodeParse } from './gtin';
import { layoutForCode, parseVariableMeasure, type VariableMeasureLayouts, type VariableMeasureValue } from './variable-measure';

export type ProductCodeRejection = Extract<ProductCodeParse, { ok: false }>['reason'] | 'bad_verifier_digit';

export type ScannedProductCode =
  | {
      kind: 'gtin';
      format: GtinKind;
      /** The lookup key (EAN-13 form for EAN-13 and UPC-A, 8 digits for EAN-8). */
      code: string;
    }
  | { kind: 'internal'; code: string }
  | ({
      kind: 'variable_measure';
      format: 'ean13' | 'upca';
      /** The label's code in its EAN-13 form. */
      code: string;
      layoutId: string;
      itemCode: string;
      /** The product code to look up (the item code as an internal PLU code). */
      productCode: string;
    } & VariableMeasureValue)
  | { kind: 'invalid'; reason: ProductCodeRejection; format: GtinKind | null };

/**
 * Classifies a product code. A 12- or 13-digit code with a valid check digit whose EAN-13 form
 * starts with a configured layout's prefix is a scale label and must pass that layout's
 * verifier digit; other restricted-circulation codes (20-29 without a layout) are ordinary
 * EAN-13s a store gave its own goods. Never throws.
 */
export function classifyProductCode(raw: string, layouts: VariableMeasureLayouts): ScannedProductCode {
  const parsed = normaliseProductCode(raw);
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason, format: parsed.kind };
  if (parsed.kind === 'internal') return { kind: 'internal', code: parsed.code };
  if (parsed.kind !== 'ean8' && layoutForCode(parsed.code, layouts) !== undefined) {
    const label = parseVariableMeasure(parsed.code, layouts);
    if (!label.ok) {
      // The check digit passed above, so only the verifier can fail here.
      return { kind: 'invalid', reason: 'bad_verifier_digit', format: parsed.kind };
    }
    const { ok: _ok, ...fields } = label;
    return { kind: 'variable_measure', format: parsed.kind, ...fields };
  }
  return { kind: 'gtin', format: parsed.kind, code: parsed.code };
}
