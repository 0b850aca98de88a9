import { describe, expect, it } from 'vitest';
import { dropOutcome } from '../../renderer/src/app/model-drop.js';

describe('dropping a file on the window', () => {
  it('opens dropped .onnx files by path, and says why it cannot otherwise', () => {
    expect(dropOutcome('resnet.onnx', '/m/resnet.onnx')).toEqual({ open: '/m/resnet.onnx' });
    expect(dropOutcome('RESNET.ONNX', '/m/RESNET.ONNX')).toEqual({ open: '/m/RESNET.ONNX' });
    expect(dropOutcome('notes.txt', '/m/notes.txt')).toEqual({ refuse: 'notes.txt is not an .onnx model.' });
    expect(dropOutcome('resnet.onnx', undefined)).toMatchObject({ refuse: expect.stringMatching(/type the path of resnet\.onnx above/) });
  });
});
