import { describe, expect, it } from 'vitest';
import { modelFromArgv } from '../../electron/main/startup-model.js';

describe('modelFromArgv', () => {
  it('takes the first argument after --', () => {
    expect(modelFromArgv(['/electron', '/app', '--', 'a.onnx', 'b.onnx'], false)).toBe('a.onnx');
    expect(modelFromArgv(['/electron', '/app', '--'], false)).toBeUndefined();
  });

  it('ignores other arguments in development, where the first is the app folder', () => {
    expect(modelFromArgv(['/electron', '/app'], false)).toBeUndefined();
  });

  it('takes the first non-flag argument of a packaged app', () => {
    expect(modelFromArgv(['/Whittle', '--no-sandbox', 'model.onnx'], true)).toBe('model.onnx');
    expect(modelFromArgv(['/Whittle'], true)).toBeUndefined();
  });
});
