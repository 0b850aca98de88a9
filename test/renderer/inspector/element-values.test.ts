import { describe, expect, it } from 'vitest';
import { tensorBytes } from '../../../renderer/src/features/inspector/element-values.js';

describe('tensorBytes', () => {
  it('multiplies the element size by the dims', () => {
    expect(tensorBytes('float32', [64, 3, 3, 3])).toBe(6912);
    expect(tensorBytes('float16', [1024, 1024])).toBe(2 * 1024 * 1024);
    expect(tensorBytes('int64', [])).toBe(8);
  });

  it('is unknown for symbolic dims, unknown rank or types not sent', () => {
    expect(tensorBytes('float32', ['n', 3])).toBeNull();
    expect(tensorBytes('float32', [null])).toBeNull();
    expect(tensorBytes('float32', undefined)).toBeNull();
    expect(tensorBytes('string', [2])).toBeNull();
  });
});
