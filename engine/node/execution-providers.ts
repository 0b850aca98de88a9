import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { graph, model, node, valueInfo } from '../core/onnx/build.js';
import { DataType, encodeModel } from '../core/onnx/index.js';
import { EXECUTION_PROVIDERS, type ExecutionProviderName } from '../protocol/index.js';

/** Providers whose libraries ship beside the binding only when its install script fetched them. */
const PROVIDER_LIBRARIES: Partial<Record<ExecutionProviderName, string>> = {
  cuda: 'libonnxruntime_providers_cuda.so',
  tensorrt: 'libonnxruntime_providers_tensorrt.so',
};

let detected: Promise<readonly ExecutionProviderName[]> | undefined;

/**
 * The execution providers this installation can really use: those the binding was built with
 * whose libraries are present and with which a one-node session runs. Detected once per process
 * (the probe of a GPU provider initialises its driver, which takes a moment).
 */
export function availableExecutionProviders(): Promise<readonly ExecutionProviderName[]> {
  detected ??= detect();
  return detected;
}

async function detect(): Promise<readonly ExecutionProviderName[]> {
  const listed = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const usable: ExecutionProviderName[] = [];
  for (const provider of EXECUTION_PROVIDERS) {
    if (!listed.has(provider)) continue;
    if (!listed.get(provider) && !libraryPresent(provider)) continue;
    if (provider === 'webgpu' && !vulkanPresent()) continue;
    if (await runsOneNode(provider)) usable.push(provider);
  }
  return usable;
}

function libraryPresent(provider: ExecutionProviderName): boolean {
  const library = PROVIDER_LIBRARIES[provider];
  if (library === undefined) return false;
  // Where onnxruntime-node's dist/binding.js loads its native binding from.
  const main = createRequire(import.meta.url).resolve('onnxruntime-node');
  const binDir = join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(join(binDir, library));
}

/**
 * onnxruntime's WebGPU provider runs on Dawn, which needs a Vulkan loader on Linux; without one
 * the probe fails anyway, after Dawn prints a warning on stderr that users would take for an error.
 */
function vulkanPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((dir) => existsSync(join(dir, 'libvulkan.so.1')));
}

async function runsOneNode(provider: ExecutionProviderName): Promise<boolean> {
  const relu = model(graph({ node: [node('Relu', ['x'], ['y'])], input: [valueInfo('x', DataType.FLOAT, [1])], output: [valueInfo('y', DataType.FLOAT, [1])] }));
  try {
    const session = await ort.InferenceSession.create(encodeModel(relu), { executionProviders: [provider], logSeverityLevel: 4 });
    try {
      const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-1), [1]) });
      return y?.data[0] === 0;
    } finally {
      await session.release();
    }
  } catch {
    return false;
  }
}

