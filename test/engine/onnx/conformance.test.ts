import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, decodeTensor, encodeModel, encodeTensor, type ModelProto } from '../../../engine/core/onnx/index.js';
import { protoDifference } from '../../support/proto-equal.js';
import { TESTDATA_FAMILIES, conformanceCases, dataSetFiles, dataSets, requireTestdata } from '../../support/testdata.js';

// ONNX's own conformance models (Debian libonnx-testdata): every model, and every TensorProto of
// its test data, must survive decode → encode → decode unchanged. One test per family; the
// assertion lists every failing case, so one run shows all of them.

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The declared type of the value an input_K.pb / output_K.pb holds (the ONNX runner indexes graph.input directly). */
function isTensorValue(model: ModelProto, kind: 'input' | 'output', index: number): boolean {
  const graph = model.graph!;
  const info = (kind === 'input' ? graph.input : graph.output)[index];
  return info?.type?.tensorType !== undefined;
}

describe('ONNX conformance data: codec round trip', () => {
  for (const family of TESTDATA_FAMILIES) {
    it(`${family}: every model decodes and re-encodes to a model that decodes equal`, (ctx) => {
      const root = requireTestdata(ctx);
      const cases = conformanceCases(root, family);
      expect(cases.length, `no models under ${root}/${family}`).toBeGreaterThan(0);
      const failures: string[] = [];
      let sameBytes = 0;
      for (const c of cases) {
        try {
          const bytes = readFileSync(c.modelPath);
          const model = decodeModel(bytes);
          const encoded = encodeModel(model);
          const again = decodeModel(encoded);
          const diff = protoDifference(model, again);
          if (diff !== undefined) failures.push(`${c.name}: re-encoded model differs at ${diff}`);
          // A second encode must be byte-stable: the encoder is a function of the model alone.
          const twice = encodeModel(again);
          if (Buffer.compare(Buffer.from(encoded), Buffer.from(twice)) !== 0) failures.push(`${c.name}: encode(decode(encode(m))) bytes differ from encode(m)`);
          if (Buffer.compare(bytes, Buffer.from(encoded)) === 0) sameBytes++;
        } catch (err) {
          failures.push(`${c.name}: ${describeError(err)}`);
        }
      }
      const summary = `${family}: ${cases.length} models decoded and re-encoded, ${failures.length} failed, ${sameBytes} byte-identical to the original file`;
      console.info(summary);
      void ctx.annotate(summary);
      expect(failures, `${failures.length} of ${cases.length} ${family} models failed the round trip:\n${failures.join('\n')}`).toEqual([]);
    });

    it(`${family}: every TensorProto of the test data decodes and re-encodes equal`, (ctx) => {
      const root = requireTestdata(ctx);
      const cases = conformanceCases(root, family);
      const failures: string[] = [];
      let tensors = 0;
      let nonTensors = 0;
      for (const c of cases) {
        const model = decodeModel(readFileSync(c.modelPath));
        for (const set of dataSets(c.dir)) {
          for (const file of dataSetFiles(c.dir, set)) {
            const label = `${c.name}/test_data_set_${set}/${file.kind}_${file.index}.pb`;
            // Sequence, map and optional values are stored as SequenceProto/MapProto/OptionalProto, not TensorProto.
            if (!isTensorValue(model, file.kind, file.index)) {
              nonTensors++;
              continue;
            }
            tensors++;
            try {
              const tensor = decodeTensor(readFileSync(file.path));
              const again = decodeTensor(encodeTensor(tensor));
              const diff = protoDifference(tensor, again);
              if (diff !== undefined) failures.push(`${label}: re-encoded tensor differs at ${diff}`);
            } catch (err) {
              failures.push(`${label}: ${describeError(err)}`);
            }
          }
        }
      }
      const summary = `${family}: ${tensors} TensorProto files decoded and re-encoded, ${failures.length} failed; ${nonTensors} non-tensor values (sequence/map/optional) not applicable`;
      console.info(summary);
      void ctx.annotate(summary);
      expect(tensors, `no TensorProto test data under ${root}/${family}`).toBeGreaterThan(0);
      expect(failures, `${failures.length} of ${tensors} ${family} tensors failed the round trip:\n${failures.join('\n')}`).toEqual([]);
    });
  }
});
