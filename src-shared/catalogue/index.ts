/**
 * The product catalogue's pure domain: the product model, product codes and scale labels, the
 * CSV import (a dry run) and export, and the pinyin search index. No database, no I/O.
 */
export * from './product';
export * from './gtin';
export * from './variable-measure';
export * from './classify-code';
export * from './text-encoding';
export * from './csv-format';
export * from './import-issues';
export * from './csv-import';
export * from './csv-export';
export * from './pinyin-keys';
export * from './search-index';
