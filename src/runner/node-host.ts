/**
 * Node's side of running programs (the CLI and the tests): the same
 * Supervisor, with worker_threads for workers.
 */
import { Worker } from 'node:worker_threads';
import { totalmem } from 'node:os';
import { Supervisor, WorkerOutOfMemory, type WorkerFactory, type WorkerHandle } from './supervisor.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { bundledWorkerFromEnv } from './node-worker-bundle.ts';

const sourceEntry = new URL('./worker/program-worker.node.ts', import.meta.url);
/** The module a new worker loads: the sources, or the same code as one file when a grader built it (node-worker-bundle.ts). */
let entry: URL = bundledWorkerFromEnv() ?? sourceEntry;

/** Workers started from now on load `bundle` (from buildWorkerBundle), or the sources again when it is undefined. */
export function useWorkerEntry(bundle: URL | undefined): void {
  entry = bundle ?? sourceEntry;
}

/** Which module new workers load (the tests assert the sources still work on their own). */
export function workerEntry(): URL {
  return entry;
}

/**
 * The most heap one thread's worker may use. Without a limit a program that
 * allocates in a loop took Node down with V8's "FATAL ERROR … heap out of
 * memory" (issue 17); with one, Node ends just that worker
 * (ERR_WORKER_OUT_OF_MEMORY) and the run ends with a weft message.
 * WEFT_THREAD_HEAP_MB sets another limit (the tests use a low one, to reach it quickly).
 */
export const THREAD_HEAP_LIMIT_MB = Number(process.env.WEFT_THREAD_HEAP_MB) > 0 ? Number(process.env.WEFT_THREAD_HEAP_MB) : 512;

/** One worker of a run, with a heap limit (exported for tests that count workers). */
export function createNodeWorker(heapLimitMb = THREAD_HEAP_LIMIT_MB): WorkerHandle {
  // A young generation small beside the old one: promoting it needs that much room past the limit, and
  // Node leaves only 16 MB (with V8's default young generation a blow-up often aborted the process anyway).
  const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(heapLimitMb / 16)) } });
  // A standby or idle worker must not keep the process alive.
  worker.unref();
  // Set by terminate: the 'exit' that follows is the supervisor's doing, not the program's.
  let terminated = false;
  return {
    post: (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer as never),
    onMessage: (listener) => worker.on('message', (message: FromWorker) => listener(message)),
    onError: (listener) =>
      worker.on('error', (error: NodeJS.ErrnoException) =>
        listener(error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerOutOfMemory(heapLimitMb) : error),
      ),
    // A program's process.exit() (or reallyExit) ends the worker with no 'error': without this the run waited
    // for the thread until its time limit.
    onExit: (listener) => worker.on('exit', (code: number) => terminated || listener(code)),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}

/** No page to keep responsive: the CLI takes console lines in long looks, so a flood prints at full speed. */
const OUTPUT_BUDGET_MS = 50;

/**
 * Many threads each under their own limit can still exhaust the machine
 * (1,000 workers, issue 17): the process as a whole may use at most half the
 * machine's memory (resident set, measured four times a second).
 */
const PROCESS_LIMIT_MB = Math.max(1024, Math.floor(totalmem() / 2 / 1024 / 1024));

/** `heapLimitMb`: the most heap each thread's worker may use (tests lower it to reach it quickly). */
export function createNodeSupervisor(idleTarget = 2, heapLimitMb = THREAD_HEAP_LIMIT_MB, factory: WorkerFactory = () => createNodeWorker(heapLimitMb)): Supervisor {
  return new Supervisor(factory, {
    idleTarget,
    outputBudgetMs: OUTPUT_BUDGET_MS,
    memoryWatch: { limitMb: PROCESS_LIMIT_MB, intervalMs: 250, measure: async () => process.memoryUsage.rss() },
  });
}
