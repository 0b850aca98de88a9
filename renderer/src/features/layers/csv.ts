import type { Column } from './columns.js';
import type { LayerRow } from './layer-rows.js';

/** One CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: a header line, then one line per record, lines ended by CRLF. */
export function toCsv(header: readonly string[], records: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...records].map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

/** The rows as CSV with the given columns, exact values (shares as fractions, blanks where unknown). */
export function layersCsv(columns: readonly Pick<Column, 'csvLabel' | 'value'>[], rows: readonly LayerRow[]): string {
  return toCsv(
    columns.map((c) => c.csvLabel),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}
