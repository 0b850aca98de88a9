import { basename } from 'node:path';
import { analyzeModel } from '../core/analysis/index.js';
import { forEachGraph, summarizeModel } from '../core/graph/index.js';
import { nodeDetails, type NodeDetails } from '../core/graph/node-details.js';
import { DEVICE_CATALOG } from '../core/hardware/index.js';
import { DEFAULT_PASSES, PASS_IDS, PASSES, UnknownPassError } from '../core/optimize/index.js';
import { analysisLabel } from '../core/profile/index.js';
import { InputDimsError } from '../core/shape/infer.js';
import { ModelFormatError } from '../core/onnx/errors.js';
import {
  WorkbenchError,
  checkRequest,
  type ErrorCode,
  errorResponse,
  event,
  requestId,
  response,
  type EventMessage,
  type MethodName,
  type OpenedModelSummary,
  type Params,
  type ProtocolError,
  type ResponseMessage,
  type Result,
} from '../protocol/index.js';
import { fileSha256, runBenchmark } from './benchmark.js';
import { THIS_MACHINE, listDevices, resolveDevice } from './devices.js';
import { initializerData, initializerSummary } from './initializer-data.js';
import { optimizeModelFile } from './optimize-model.js';
import { listVariants } from './variants.js';
import { WorkspaceError } from './workspace-error.js';
import type { JobControl } from './job-control.js';
import { openModelFile, type OpenedModel } from './model-file.js';
import { defaultWorkspaceDir, latestBenchmark, saveBenchmark } from './workspace.js';

type Handlers = { [M in MethodName]: (params: Params<M>, job: JobControl) => Promise<Result<M>> };

interface CurrentModel {
  readonly opened: OpenedModel;
  readonly summary: OpenedModelSummary;
}

const NO_MODEL = 'No model is open: open one first.';

/** The Workbench API over the engine: holds the current model and tells listeners when it changes. */
export class WorkbenchService {
  #current: Promise<CurrentModel | null> = Promise.resolve(null);
  readonly #listeners = new Set<(message: EventMessage) => void>();

  readonly #handlers: Handlers = {
    'model.open': async ({ path }) => {
      const current = await openCurrent(path);
      this.#current = Promise.resolve(current);
      for (const listener of this.#listeners) listener(event('model.opened', current.summary));
      return current.summary;
    },
    'model.current': async () => (await this.#current)?.summary ?? null,
    'model.tensor': async ({ name }) => initializerData((await this.#requireCurrent()).opened, name),
    'model.weightStats': async ({ name }) => initializerSummary((await this.#requireCurrent()).opened, name),
    // Results are kept in the model's workspace, where the CLI keeps them too.
    'bench.run': async ({ path, options }, job) => {
      // The current model is measured as it was opened, not read and decoded a second time.
      const model = path ?? (await this.#current)?.opened;
      if (model === undefined) throw new WorkbenchError('not-found', `${NO_MODEL} Or give bench.run a path.`);
      const target = typeof model === 'string' ? model : model.path;
      try {
        const result = await runBenchmark(model, options, job);
        // A model in a read-only folder can still be measured; only the record is lost.
        await saveBenchmark(defaultWorkspaceDir(target), result).catch((err: unknown) => console.error(`Could not save the benchmark of ${basename(target)}:`, err));
        return result;
      } catch (err) {
        throw toWorkbenchError(err, target, 'run-failed');
      }
    },
    'model.analysis': async ({ inputDims, deviceId }, job) => {
      const current = await this.#requireCurrent();
      const device = await resolveDevice(deviceId ?? THIS_MACHINE, {
        signal: job.signal,
        onMeasure: () => job.onProgress?.({ stage: 'measure', fraction: 0, message: 'Measuring this machine through onnxruntime (a few seconds, once)' }),
      }).catch((err: unknown) => {
        throw err instanceof RangeError ? new WorkbenchError('bad-request', err.message) : err;
      });
      try {
        return analyzeModel(current.opened.model, { inputDims, device, compareWith: DEVICE_CATALOG.filter((d) => d.id !== device.id) });
      } catch (err) {
        throw err instanceof InputDimsError ? new WorkbenchError('bad-request', err.message) : err;
      }
    },
    'model.node': async ({ name }) => {
      const root = (await this.#requireCurrent()).opened.model.graph;
      // The main graph first, then If/Loop/Scan bodies, whose nodes the graph view also shows.
      let found: NodeDetails | undefined;
      if (root) {
        forEachGraph(root, (graph) => {
          const index = found === undefined ? graph.node.findIndex((n, i) => analysisLabel(n, i) === name) : -1;
          if (index >= 0) found = nodeDetails(graph.node[index]!, index);
        });
      }
      if (found === undefined) throw new WorkbenchError('not-found', `The model has no node "${name.slice(0, 200)}".`);
      return found;
    },
    'devices.list': () => listDevices(),
    'optimize.passes': async () => DEFAULT_PASSES.map((id) => ({ id, title: PASSES[id].title, summary: PASSES[id].summary })),
    'optimize.run': async (params, job) => {
      const current = await this.#requireCurrent();
      const unknown = params.passes?.find((p) => !(PASS_IDS as readonly string[]).includes(p));
      if (unknown !== undefined) throw new WorkbenchError('bad-request', new UnknownPassError(unknown).message);
      try {
        return await optimizeModelFile(current.opened, params, job);
      } catch (err) {
        if (err instanceof InputDimsError || err instanceof WorkspaceError) throw new WorkbenchError('bad-request', err.message);
        throw toWorkbenchError(err, current.opened.path);
      }
    },
    'variants.list': async () => {
      const workspace = defaultWorkspaceDir((await this.#requireCurrent()).opened.path);
      try {
        return { workspace, variants: await listVariants(workspace) };
      } catch (err) {
        throw err instanceof WorkspaceError ? new WorkbenchError('bad-request', err.message) : err;
      }
    },
    'bench.latest': async ({ path }) => {
      const target = await this.#targetOf(path, 'bench.latest');
      try {
        return await latestBenchmark(defaultWorkspaceDir(target), () => fileSha256(target));
      } catch (err) {
        throw toWorkbenchError(err, target);
      }
    },
  };

  async #requireCurrent(): Promise<CurrentModel> {
    const current = await this.#current;
    if (current === null) throw new WorkbenchError('not-found', NO_MODEL);
    return current;
  }

  async #targetOf(path: string | undefined, method: MethodName): Promise<string> {
    const target = path ?? (await this.#current)?.summary.path;
    if (target === undefined) throw new WorkbenchError('not-found', `${NO_MODEL} Or give ${method} a path.`);
    return target;
  }

  /** Opens the model given at startup; `model.current` answers with it, or with why it failed. */
  openAtStart(path: string): void {
    this.#current = openCurrent(path);
    // Nobody may ask before it settles; the failure is reported when `model.current` is called.
    this.#current.catch(() => undefined);
  }

  call<M extends MethodName>(method: M, params: Params<M>, job: JobControl = {}): Promise<Result<M>> {
    return this.#handlers[method](params, job);
  }

  /** Calls `listener` with every event; returns a function that stops it. */
  onEvent(listener: (message: EventMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

async function openCurrent(path: string): Promise<CurrentModel> {
  try {
    const opened = await openModelFile(path);
    return { opened, summary: { path: opened.path, fileName: opened.fileName, ...summarizeModel(opened.model) } };
  } catch (err) {
    throw toWorkbenchError(err, path);
  }
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Turns what working on `path` threw into a code and a sentence for the person who asked. */
function toWorkbenchError(err: unknown, path: string, otherwise: ErrorCode = 'internal'): WorkbenchError {
  if (err instanceof WorkbenchError) return err;
  if (isAbortError(err)) return new WorkbenchError('cancelled', `Cancelled: ${basename(path)}.`);
  if (err instanceof ModelFormatError) return new WorkbenchError('bad-model', err.message);
  const name = basename(path);
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new WorkbenchError('not-found', `${name}: no such file (${path})`);
    case 'EACCES':
    case 'EPERM':
      return new WorkbenchError('access-denied', `${name}: permission denied`);
    case 'EISDIR':
      return new WorkbenchError('bad-model', `${name}: is a folder, not a model file`);
    default:
      return new WorkbenchError(otherwise, `${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Answers one message from a client. Malformed requests get an error response; a message too
 * broken to carry an id gets none (null), and the caller should drop the connection.
 */
export async function answer(service: WorkbenchService, message: unknown, job: JobControl = {}): Promise<ResponseMessage | null> {
  const id = requestId(message);
  try {
    const req = checkRequest(message);
    return response(req.id, await service.call<MethodName>(req.method, req.params, job));
  } catch (err) {
    if (id === null) return null;
    if (isAbortError(err)) return errorResponse(id, { code: 'cancelled', message: 'Cancelled.' });
    if (!(err instanceof WorkbenchError)) console.error(err);
    return errorResponse(id, asProtocolError(err));
  }
}

function asProtocolError(err: unknown): ProtocolError {
  return err instanceof WorkbenchError ? err : { code: 'internal', message: 'Something went wrong inside the workbench; its log has the details.' };
}
