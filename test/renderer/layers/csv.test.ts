import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../../renderer/src/features/layers/columns.js';
import { csvField, layersCsv, toCsv } from '../../../renderer/src/features/layers/csv.js';
import { layerRows } from '../../../renderer/src/features/layers/layer-rows.js';
import { node } from './fixtures.js';

describe('CSV (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' spaced ', ' spaced '],
    ['', ''],
  ])('field %j is %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are and unknown values as empty fields', () => {
    expect(csvField(0.000123)).toBe('0.000123');
    expect(csvField(null)).toBe('');
  });

  it('ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 2]])).toBe('a,b\r\n1,"x,y"\r\n,2\r\n');
  });

  it('writes the rows with exact values under the columns given', () => {
    const rows = layerRows([node(0, { name: 'conv,"1"', macs: 1_234_567 }), node(1, { counted: false, intensity: null, bound: null, predictedMs: null, share: 0 })]);
    const columns = COLUMNS.filter((c) => ['index', 'name', 'macs', 'bound', 'share'].includes(c.key));
    expect(layersCsv(columns, rows)).toBe('index,name,MACs,bound,share\r\n0,"conv,""1""",1234567,memory,0.25\r\n1,n1,,uncounted,0\r\n');
  });
});
