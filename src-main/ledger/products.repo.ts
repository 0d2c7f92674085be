import type { ProductPriceDto } from '../../src-shared/api/dto';
import type { Executor } from '../terminal/context';

/** The till's price for a barcode, if it has sold or been given one. */
export async function productPrice(ex: Executor, sku: string): Promise<ProductPriceDto | null> {
  const row = await ex.selectFrom('product').select(['description', 'category', 'unit_price_minor']).where('sku', '=', sku).executeTakeFirst();
  return row ? { description: row.description, category: row.category, unitPriceMinor: row.unit_price_minor } : null;
}

/**
 * Remembers the price, category and description each barcoded line was sold with (in the
 * sale's transaction): the next scan of the same barcode fills the line form with them.
 * A later line of the same sale wins; a line without a description keeps the one known.
 */
export async function rememberProductPrices(
  ex: Executor,
  lines: readonly { sku: string | null; description: string | null; category: string; unitPriceMinor: number }[],
  at: string,
): Promise<void> {
  for (const l of lines) {
    if (!l.sku) continue;
    await ex
      .insertInto('product')
      .values({ sku: l.sku, description: l.description, category: l.category, unit_price_minor: l.unitPriceMinor, updated_at: at })
      .onConflict((oc) =>
        oc.column('sku').doUpdateSet((eb) => ({
          description: eb.fn.coalesce('excluded.description', 'product.description'),
          category: eb.ref('excluded.category'),
          unit_price_minor: eb.ref('excluded.unit_price_minor'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
