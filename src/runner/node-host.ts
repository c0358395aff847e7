/**
 * Node's side of running programs (the CLI and the tests): the same
 * Supervisor, with worker_threads for workers.
 */
import { Worker } from 'node:worker_threads';
import { Supervisor, type WorkerHandle } from './supervisor.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const entry = new URL('./worker/program-worker.node.ts', import.meta.url);

function createWorker(): WorkerHandle {
  const worker = new Worker(entry);
  // An idle pooled worker must not keep the process alive.
  worker.unref();
  return {
    post: (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer as never),
    onMessage: (listener) => worker.on('message', (message: FromWorker) => listener(message)),
    onError: (listener) => worker.on('error', listener),
    terminate: () => void worker.terminate(),
  };
}

/** No page to keep responsive: the CLI takes console lines in long looks, so a flood prints at full speed. */
const OUTPUT_BUDGET_MS = 50;

export function createNodeSupervisor(poolSize = 2): Supervisor {
  return new Supervisor(createWorker, poolSize, OUTPUT_BUDGET_MS);
}
