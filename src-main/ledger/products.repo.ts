import { sql, type Selectable } from 'kysely';
import type { ProductPriceDto } from '../../src-shared/api/dto';
import { preparedQuery, rowParams } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../core/context';

type ProductRow = Selectable<TerminalDatabase['product']>;

const productPriceQuery = preparedQuery<TerminalDatabase, { sku: string }, Pick<ProductRow, 'description' | 'category' | 'unit_price_minor'>>((db, p) =>
  db.selectFrom('product').select(['description', 'category', 'unit_price_minor']).where('sku', '=', p('sku')),
);

/** The till's price for a barcode, if it has sold or been given one. */
export async function productPrice(ex: Executor, sku: string): Promise<ProductPriceDto | null> {
  const row = (await productPriceQuery(ex, { sku })).rows[0];
  return row ? { description: row.description, category: row.category, unitPriceMinor: row.unit_price_minor } : null;
}

const upsertProductQuery = preparedQuery<TerminalDatabase, ProductRow, never>((db, p) =>
  db
    .insertInto('product')
    .values(rowParams(p, { sku: true, description: true, category: true, unit_price_minor: true, updated_at: true }))
    .onConflict((oc) =>
      oc.column('sku').doUpdateSet((eb) => ({
        description: eb.fn.coalesce('excluded.description', 'product.description'),
        category: eb.ref('excluded.category'),
        unit_price_minor: eb.ref('excluded.unit_price_minor'),
        updated_at: eb.ref('excluded.updated_at'),
      }))
        // A barcode sold again at the price it had changes nothing, and writes nothing: no page of
        // the product table joins the checkout's commit.
        .where(
          sql<boolean>`product.category IS NOT excluded.category
            OR product.unit_price_minor IS NOT excluded.unit_price_minor
            OR (excluded.description IS NOT NULL AND product.description IS NOT excluded.description)`,
        ),
    ),
);

/**
 * Remembers the price, category and description each barcoded line was sold with (in the
 * sale's transaction): the next scan of the same barcode fills the line form with them.
 * A later line of the same sale wins; a line without a description keeps the one known.
 * `updated_at` is when the price, category or description last changed.
 */
export async function rememberProductPrices(
  ex: Executor,
  lines: readonly { sku: string | null; description: string | null; category: string; unitPriceMinor: number }[],
  at: string,
): Promise<void> {
  // A barcode sold on several lines is written once, from its last line, keeping the last
  // description any of its lines gave.
  const bySku = new Map<string, ProductRow>();
  for (const l of lines) {
    if (!l.sku) continue;
    const description = l.description ?? bySku.get(l.sku)?.description ?? null;
    bySku.delete(l.sku);
    bySku.set(l.sku, { sku: l.sku, description, category: l.category, unit_price_minor: l.unitPriceMinor, updated_at: at });
  }
  for (const row of bySku.values()) await upsertProductQuery(ex, row);
}
