/**
 * The page's side of running programs: a Supervisor whose workers are
 * module Web Workers. The page is the supervisor because it never blocks
 * (ARCHITECTURE.md, constraint 1).
 */
import { Supervisor, type MemoryWatch, type RunHandle, type WorkerHandle } from './supervisor.ts';
import type { RunEvent, RunOptions } from './events.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export type { RunHandle } from './supervisor.ts';

function createWorker(): WorkerHandle {
  const worker = new Worker(new URL('./worker/program-worker.browser.ts', import.meta.url), { type: 'module', name: 'weft' });
  // The first message goes on the worker's own port and brings a port of its own for every later one:
  // a program can listen on the worker's port, never on that one (protocol.ts, "Integrity").
  let runs: MessagePort | undefined;
  return {
    post: (message: ToWorker, transfer: Transferable[] = []) => {
      if (runs !== undefined) return runs.postMessage(message, transfer);
      const channel = new MessageChannel();
      runs = channel.port1;
      worker.postMessage({ ...message, runs: channel.port2 }, [...transfer, channel.port2]);
    },
    onMessage: (listener) => worker.addEventListener('message', (event: MessageEvent<FromWorker>) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener('error', (event) => listener(new Error(event.message || 'worker error')));
      worker.addEventListener('messageerror', () => listener(new Error('a message could not be decoded')));
    },
    terminate: () => {
      worker.terminate();
      runs?.close();
    },
  };
}

let supervisor: Supervisor | undefined;

/**
 * A Web Worker has no heap limit of its own that a page can set, and one
 * that runs out of memory takes the whole tab down (issue 17: 2.8 GB in
 * 10 s). The only measure Chromium offers a page is
 * measureUserAgentSpecificMemory (cross-origin isolated pages only), and it
 * answers at the next full garbage collection: 18–46 s on this machine
 * while a worker allocated. So it guards long runs; the time limit (10 s by
 * default) is what bounds a fast blow-up.
 */
const WORKERS_LIMIT_MB = 1536;
type MeasureMemory = () => Promise<{ breakdown: { bytes: number; attribution: { scope?: string }[] }[] }>;
const measureMemory = (performance as unknown as { measureUserAgentSpecificMemory?: MeasureMemory }).measureUserAgentSpecificMemory;
const memoryWatch: MemoryWatch | undefined =
  typeof measureMemory === 'function'
    ? {
        limitMb: WORKERS_LIMIT_MB,
        intervalMs: 1000,
        measure: async () => {
          const result = await measureMemory.call(performance);
          let bytes = 0;
          for (const entry of result.breakdown) if (entry.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) bytes += entry.bytes;
          return bytes;
        },
      }
    : undefined;

function getSupervisor(): Supervisor {
  if (!self.crossOriginIsolated) {
    throw new Error(
      'This page is not cross-origin isolated, so SharedArrayBuffer is unavailable and threads cannot block. ' +
        'Serve the book with `npm start` (it sends the COOP/COEP headers).',
    );
  }
  supervisor ??= new Supervisor(createWorker, {
    idleTarget: Math.max(2, Math.min(4, navigator.hardwareConcurrency || 2)),
    ...(memoryWatch ? { memoryWatch } : {}),
  });
  return supervisor;
}

/** Starts the standby workers; call when the reader is about to run something. */
export function prewarm(): void {
  if (self.crossOriginIsolated) getSupervisor().prewarm();
}

/** Runs one program; events arrive in order and end with `end`. */
export function startRun(source: string, options: RunOptions, onEvent: (event: RunEvent) => void): RunHandle {
  return getSupervisor().startRun(source, options, onEvent);
}
