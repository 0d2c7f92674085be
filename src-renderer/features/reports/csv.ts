/**
 * CSV export, done in the page: RFC 4180 quoting (fields with a comma, quote or line break are
 * quoted, quotes doubled), CRLF line ends, a UTF-8 byte-order mark so spreadsheet programs read
 * Chinese correctly, and text that a spreadsheet would run as a formula (= + - @ at the start)
 * prefixed with an apostrophe.
 */
export type CsvValue = string | number | null | undefined;

export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const CSV_BOM = '\uFEFF';
