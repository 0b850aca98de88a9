import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './corpus.js';

/**
 * The sample model copied into a fresh temp folder, for tests whose jobs write the model's
 * workspace beside it (bench.run): the source tree stays as it was. Removed when the process exits.
 */
export function sampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'whittle-sample-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'ppocr-cls.onnx');
  copyFileSync(join(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx'), path);
  return path;
}
