import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import { readLayout, type Layout } from './elk-input.js';

/**
 * Lays graphs out in a Web Worker, one at a time: a new request stops the worker busy with an
 * older one (ELK cannot be interrupted otherwise), so the newest graph is never queued behind a
 * stale one.
 */
export interface LayoutRunner {
  /** Resolves with the layout, or with null when a newer request superseded this one. */
  run(graph: ElkNode): Promise<Layout | null>;
  dispose(): void;
}

function startElk(): InstanceType<typeof ELK> {
  return new ELK({ workerFactory: () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }) });
}

export function createLayoutRunner(): LayoutRunner {
  let elk: InstanceType<typeof ELK> | null = null;
  let cancelPending: (() => void) | null = null;
  const stop = () => {
    cancelPending?.();
    cancelPending = null;
    elk?.terminateWorker();
    elk = null;
  };
  return {
    run(graph) {
      if (cancelPending) stop();
      const current = (elk ??= startElk());
      return new Promise<Layout | null>((resolve, reject) => {
        const cancel = () => resolve(null);
        cancelPending = cancel;
        current.layout(graph).then(
          (result) => {
            if (cancelPending === cancel) cancelPending = null;
            resolve(readLayout(result));
          },
          (err: unknown) => {
            if (cancelPending === cancel) cancelPending = null;
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
    dispose: stop,
  };
}
