import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency table of ARCHITECTURE.md, checked through the real lint configuration.
const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'whittle/layering').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['engine/core/onnx/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", 'node:fs'],
    ['engine/core/onnx/x.ts', "import { openModelFile } from '../../node/model-file.js';\nexport const a = openModelFile;\n", 'engine/node'],
    ['engine/core/graph/x.ts', "import React from 'react';\nexport const a = React;\n", 'react'],
    ['engine/protocol/x.ts', "import { decodeModel } from '../core/onnx/index.js';\nexport const a = decodeModel;\n", 'engine/core'],
    ['engine/node/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'electron'],
    ['cli/x.ts', "import { App } from '../renderer/src/app/App.js';\nexport const a = App;\n", 'renderer'],
    ['renderer/src/x.ts', "import { decodeModel } from '../../engine/core/onnx/index.js';\nexport const a = decodeModel;\n", 'engine/core'],
    ['renderer/src/x.ts', "import { readFile } from 'fs';\nexport const a = readFile;\n", 'fs'],
    ['renderer/src/x.ts', "import { openModelFile } from '../../engine/node/model-file.js';\nexport const a = openModelFile;\n", 'engine/node'],
    ['electron/main/x.ts', "import { decodeModel } from '../../engine/core/onnx/index.js';\nexport const a = decodeModel;\n", 'engine/core'],
    ['electron/main/x.ts', "import { JobRegistry } from '../../engine/host/job-registry.js';\nexport const a = JobRegistry;\n", 'engine/host'],
    ['engine/host/supervisor/x.ts', "import { runBenchmark } from '../../node/benchmark.js';\nexport const a = runBenchmark;\n", 'engine/node'],
    ['engine/host/supervisor/x.ts', "import { fork } from 'node:child_process';\nexport const a = fork;\n", 'node:child_process'],
  ])('%s may not import %s', async (file, code, target) => {
    const errors = await layeringErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(target);
  });

  it.each([
    ['engine/core/graph/x.ts', "import { decodeModel } from '../onnx/index.js';\nexport const a = decodeModel;\n"],
    ['engine/protocol/x.ts', "import type { ModelSummary } from '../core/graph/index.js';\nexport type A = ModelSummary;\n"],
    ['engine/node/x.ts', "import { readFile } from 'node:fs/promises';\nimport { decodeModel } from '../core/onnx/index.js';\nexport const a = [readFile, decodeModel];\n"],
    ['renderer/src/x.ts', "import type { ModelSummary } from '../../engine/core/graph/index.js';\nexport type A = ModelSummary;\n"],
    ['electron/main/x.ts', "import { EngineSupervisor } from '../../engine/host/supervisor/index.js';\nexport const a = EngineSupervisor;\n"],
    ['test/engine/x.ts', "import { openModelFile } from '../../engine/node/model-file.js';\nexport const a = openModelFile;\n"],
  ])('%s may import what the table allows', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
