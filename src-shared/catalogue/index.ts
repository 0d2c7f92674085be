/**
 * The product catalogue's pure domain: the product model, product codes and scale labels, the
 * CSV format, export and problem codes, and the pinyin search index. No database, no I/O.
 *
 * Not here: the CSV dry run (./csv-import). It runs on csv-parse, whose module reads the
 * global Buffer as it loads, so it belongs to the core and the server; a renderer that imported
 * it through this file would fail at start. Import it by its own path there.
 */
export * from './product';
export * from './gtin';
export * from './variable-measure';
export * from './classify-code';
export * from './text-encoding';
export * from './csv-format';
export * from './import-issues';
export * from './csv-export';
export * from './pinyin-keys';
export * from './search-index';
