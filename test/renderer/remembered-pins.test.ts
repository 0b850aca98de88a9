import { describe, expect, it } from 'vitest';
import { recallPins, rememberPins, type PinStorage } from '../../renderer/src/app/remembered-pins.js';

function memory(): PinStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('remembered pins', () => {
  it('keeps the dims last pinned for a model, by its path', () => {
    const storage = memory();
    rememberPins('/m/a.onnx', { x: [1, 3, 48, 192] }, storage);
    rememberPins('/m/b.onnx', { input: [1, 512], state: [2, 1, 128] }, storage);
    rememberPins('/m/a.onnx', { x: [2, 3, 48, 320] }, storage);
    expect(recallPins('/m/a.onnx', storage)).toEqual({ x: [2, 3, 48, 320] });
    expect(recallPins('/m/b.onnx', storage)).toEqual({ input: [1, 512], state: [2, 1, 128] });
    expect(recallPins('/m/c.onnx', storage)).toBeNull();
  });

  it('forgets nothing for an empty pin, and ignores what does not read as dims', () => {
    const storage = memory();
    rememberPins('/m/a.onnx', {}, storage);
    expect(storage.items.size).toBe(0);
    for (const bad of ['{', '[1, 2]', '{"x": [1.5]}', '{"x": [-1]}', '{"x": "1x3"}', '{}', '"text"']) {
      storage.items.set('whittle.pins:/m/bad.onnx', bad);
      expect(recallPins('/m/bad.onnx', storage), bad).toBeNull();
    }
  });

  it('works without storage, and survives a storage that refuses writes', () => {
    rememberPins('/m/a.onnx', { x: [1] }, undefined);
    expect(recallPins('/m/a.onnx', undefined)).toBeNull();
    const refusing: PinStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => rememberPins('/m/a.onnx', { x: [1] }, refusing)).not.toThrow();
  });
});
