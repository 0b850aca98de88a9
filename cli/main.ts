import { parseArgs } from 'node:util';
import { ModelFormatError } from '../engine/core/onnx/errors.js';
import { InputDimsError } from '../engine/core/shape/infer.js';
import { BENCH_USAGE, benchCommand } from './bench.js';
import { devicesCommand } from './devices.js';
import { OPTIMIZE_USAGE, optimizeCommand } from './optimize.js';
import { formatInfo, modelInfo } from './info.js';
import { parseInputDims } from './input-dims.js';
import { UsageError } from './usage.js';
import { resolveDevice } from '../engine/node/devices.js';
import { formatProfile, profileModel, type ProfileFormat } from './profile.js';

const USAGE = `whittle — see where a model's time and bytes go, make it faster, prove it

Usage:
  whittle info MODEL [--json]          summary of an ONNX model: inputs, outputs, ops, parameters
  whittle profile MODEL [--input NAME=DIMS]... [--device ID] [--json|--csv|--md] [--top N]
                                       per-node MACs, bytes, intensity and predicted time on a device
  ${BENCH_USAGE.replace(/\n/g, '\n  ')}
                                       measured latency through onnxruntime; --per-node: time per node
  ${OPTIMIZE_USAGE.replace(/\n/g, '\n  ')}
                                       fold, fuse and re-parameterize; records the result as a variant
  whittle devices [--measure] [--threads N] [--json]
                                       target devices for predictions, and this machine measured
  whittle serve [MODEL] [--port N]     open the workbench UI in a browser (127.0.0.1 only)
  whittle --help                       this text

Exit codes: 0 success, 1 the model was refused or could not be read, 2 wrong usage.
`;

/** One readable line for anything that stops a command: no stack traces for users. */
function describeFailure(err: unknown): string {
  if (err instanceof ModelFormatError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return `${e.path ?? 'file'}: no such file`;
  if (e?.code === 'EACCES') return `${e.path ?? 'file'}: permission denied`;
  if (e?.code === 'EISDIR') return `${e.path ?? 'path'}: is a folder, not a model file`;
  return e instanceof Error ? e.message : String(err);
}

async function info(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('info takes exactly one MODEL');
  const result = await modelInfo(positionals[0]!);
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatInfo(result)}\n`);
  return 0;
}

async function profile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { input: { type: 'string', multiple: true }, device: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, md: { type: 'boolean' }, top: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('profile takes exactly one MODEL');
  const formats = (['json', 'csv', 'md'] as const).filter((f) => values[f]);
  if (formats.length > 1) throw new UsageError(`choose one of --json, --csv, --md, not ${formats.map((f) => `--${f}`).join(' and ')}`);
  const top = values.top === undefined ? undefined : Number(values.top);
  if (top !== undefined && !(Number.isInteger(top) && top > 0)) throw new UsageError(`--top must be a whole number above 0, not "${values.top}"`);
  const inputDims = parseInputDims(values.input ?? []);
  const device = await resolveDevice(values.device ?? 'this-machine', { onMeasure: () => process.stderr.write('Measuring this machine through onnxruntime (a few seconds, once)…\n') });
  const { file, analysis } = await profileModel(positionals[0]!, inputDims, device);
  const format: ProfileFormat = formats[0] ?? 'text';
  process.stdout.write(`${formatProfile(file, analysis, format, top)}\n`);
  return 0;
}

async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { port: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('serve takes at most one MODEL');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const { serve } = await import('./serve.js');
  const server = await serve({ model: positionals[0], port });
  process.stdout.write(`Whittle is serving at ${server.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((done) => process.once('SIGINT', done));
  await server.close();
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { info, profile, bench: benchCommand, optimize: optimizeCommand, devices: devicesCommand, serve: serveCommand };

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`whittle: unknown command "${command}"; see whittle --help\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputDimsError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`whittle ${command}: ${(err as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`whittle ${command}: ${describeFailure(err)}\n`);
    return 1;
  }
}
