/**
 * The supervisor of runs: the one piece of code that creates, feeds and
 * terminates a run's workers, on the page and in Node alike.
 *
 * Why the page creates every worker: Chromium does not start a nested worker
 * while its parent is blocked in Atomics.wait (ARCHITECTURE.md, constraint
 * 1), and a blocked parent is the normal case here (`spawn` then `join`). So
 * `spawn` inside a worker only *asks*; the supervisor hands the new thread to
 * a pre-started idle worker. The supervisor never blocks, so it can always
 * stop a run: Stop and the time limit terminate every worker of the run.
 */
import * as Comlink from 'comlink';
import { H, RunMemory } from '../weft/runtime/memory.ts';
import type { RunEvent, RunOptions, RunOutcome, RunStatus } from './events.ts';
import type { FromWorker, MainApi, MainResult, ProgramPayload, ToWorker } from './protocol.ts';

/** One worker as the supervisor sees it; each platform adapts its own. */
export interface WorkerHandle {
  post(message: ToWorker, transfer?: Transferable[]): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void;
}

export type WorkerFactory = () => WorkerHandle;

export interface RunHandle {
  /** Ends the run now: every worker is terminated; `done` resolves with status 'stopped'. */
  stop(): void;
  readonly done: Promise<RunOutcome>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** How long to wait for console lines still in flight from other workers when main has returned. */
const DRAIN_MS = 500;

/** Idle, already-started workers, so `spawn` does not pay a worker's start-up (~44 ms). */
class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #size: number;
  readonly #idle: WorkerHandle[] = [];
  #refilling = false;

  constructor(factory: WorkerFactory, size: number) {
    this.#factory = factory;
    this.#size = size;
  }

  warm(): void {
    while (this.#idle.length < this.#size) this.#idle.push(this.#factory());
  }

  take(): WorkerHandle {
    const worker = this.#idle.pop() ?? this.#factory();
    this.#scheduleRefill();
    return worker;
  }

  #scheduleRefill(): void {
    if (this.#refilling) return;
    this.#refilling = true;
    setTimeout(() => {
      this.#refilling = false;
      this.warm();
    }, 0);
  }

  dispose(): void {
    for (const worker of this.#idle.splice(0)) worker.terminate();
  }
}

export class Supervisor {
  readonly #pool: WorkerPool;

  constructor(factory: WorkerFactory, poolSize = 4) {
    this.#pool = new WorkerPool(factory, poolSize);
  }

  /** Starts the idle workers now (call when a reader is about to run something). */
  prewarm(): void {
    this.#pool.warm();
  }

  /** Terminates idle workers (the CLI calls it so Node can exit). */
  dispose(): void {
    this.#pool.dispose();
  }

  startRun(source: string, options: RunOptions, onEvent: (event: RunEvent) => void): RunHandle {
    return new Run(this.#pool, source, options, onEvent);
  }
}

class Run implements RunHandle {
  readonly done: Promise<RunOutcome>;
  readonly #pool: WorkerPool;
  readonly #onEvent: (event: RunEvent) => void;
  readonly #memory = RunMemory.create();
  readonly #workers = new Set<WorkerHandle>();
  readonly #started = performance.now();
  readonly #pending = new Map<number, RunEvent>();
  #nextSeq = 0;
  #program: ProgramPayload | undefined;
  #over = false;
  #timer: ReturnType<typeof setTimeout>;
  #resolve!: (outcome: RunOutcome) => void;
  #abandonMain!: (reason: Error) => void;
  #controlPort: MessagePort | undefined;
  /**
   * The comlink proxy of the main worker's API, held for the whole run:
   * comlink releases an endpoint (and drops every pending call on it) when
   * its proxies are garbage-collected, which made a run's result vanish.
   */
  #api: Comlink.Remote<MainApi> | undefined;

  constructor(pool: WorkerPool, source: string, options: RunOptions, onEvent: (event: RunEvent) => void) {
    this.#pool = pool;
    this.#onEvent = onEvent;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#timer = setTimeout(() => this.#finish('timeout', `Stopped by the time limit of ${formatMs(timeoutMs)}.`), timeoutMs);

    const main = this.#adopt(pool.take());
    const { port1, port2 } = new MessageChannel();
    this.#controlPort = port1;
    main.post({ kind: 'control', port: port2 }, [port2]);
    const api = Comlink.wrap<MainApi>(port1 as unknown as Comlink.Endpoint);
    this.#api = api;
    // A comlink call to a terminated worker never settles: race it with the
    // run's own end so a stopped run's call is rejected, not left pending.
    const abandoned = new Promise<never>((_, reject) => (this.#abandonMain = reject));
    abandoned.catch(() => {});
    Promise.race([api.run(source, this.#memory.buffer), abandoned]).then(
      (result) => this.#mainReturned(result),
      (error: unknown) => {
        if (!this.#over) this.#finish('crashed', `The runner failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  stop(): void {
    this.#finish('stopped', 'Stopped.');
  }

  #adopt(worker: WorkerHandle): WorkerHandle {
    this.#workers.add(worker);
    worker.onMessage((message) => this.#receive(worker, message));
    worker.onError((error) => {
      if (!this.#over) this.#finish('crashed', `A worker failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return worker;
  }

  #receive(worker: WorkerHandle, message: FromWorker): void {
    if (this.#over) return;
    switch (message.kind) {
      case 'ready':
        return;
      case 'program':
        this.#program = message.program;
        return;
      case 'spawn': {
        if (this.#program === undefined) throw new Error('weft supervisor: spawn before the program was compiled');
        const thread = this.#adopt(this.#pool.take());
        thread.post({ kind: 'start-thread', memory: this.#memory.buffer, program: this.#program, request: message.request });
        return;
      }
      case 'output':
        this.#ordered(message.seq, {
          kind: 'output',
          stream: message.stream,
          thread: message.thread,
          threadId: message.threadId,
          text: message.text,
        });
        return;
      case 'panic':
        this.#ordered(message.seq, {
          kind: 'error',
          error: {
            name: message.name,
            // The location travels separately: the page shows it as a link, the CLI as file:line:col.
            message: `thread '${message.thread}' panicked: ${message.message}`,
            ...(message.location ? { location: message.location } : {}),
            thread: message.thread,
          },
        });
        return;
      case 'thread-exit':
        this.#workers.delete(worker);
        worker.terminate();
        return;
      case 'fatal':
        this.#finish('crashed', message.message);
        return;
    }
  }

  /** Console lines come from many workers; the shared sequence number restores the order they were written in. */
  #ordered(seq: number, event: RunEvent): void {
    this.#pending.set(seq, event);
    while (this.#pending.has(this.#nextSeq)) {
      const next = this.#pending.get(this.#nextSeq)!;
      this.#pending.delete(this.#nextSeq++);
      this.#onEvent(next);
    }
  }

  #flush(upTo = Infinity): void {
    const seqs = [...this.#pending.keys()].filter((s) => s < upTo).sort((a, b) => a - b);
    for (const seq of seqs) {
      this.#onEvent(this.#pending.get(seq)!);
      this.#pending.delete(seq);
    }
    this.#pending.clear();
  }

  #mainReturned(result: MainResult): void {
    if (this.#over) return;
    const finish = () => {
      const elapsed = formatMs(performance.now() - this.#started);
      if (result.status === 'ok') {
        this.#finish('ok', `Finished in ${elapsed}.`, result.outputSeqEnd);
      } else {
        const error = result.error!;
        this.#finish(result.status, result.status === 'compile-error' ? 'Did not compile.' : `main panicked after ${elapsed}.`, result.outputSeqEnd, {
          kind: 'error',
          error: {
            name: error.name,
            message:
              result.status === 'panic'
                ? `thread 'main' panicked: ${error.message}`
                : error.message,
            ...(error.location ? { location: error.location } : {}),
            ...(error.thread ? { thread: error.thread } : {}),
          },
        });
      }
    };
    // Lines other workers wrote before main returned may still be in flight.
    const deadline = performance.now() + DRAIN_MS;
    const waitForLines = () => {
      if (this.#over) return;
      if (this.#nextSeq >= result.outputSeqEnd || performance.now() > deadline) finish();
      else setTimeout(waitForLines, 5);
    };
    waitForLines();
  }

  #finish(status: RunStatus, message: string, outputSeqEnd = Infinity, lastEvent?: RunEvent): void {
    if (this.#over) return;
    // Tell blocked threads to give up (they check between wait slices), then end them all.
    Atomics.store(this.#memory.i32, H.stop, 1);
    this.#over = true;
    clearTimeout(this.#timer);
    for (const worker of this.#workers) worker.terminate();
    this.#workers.clear();
    this.#controlPort?.close();
    this.#api = undefined;
    this.#abandonMain(new Error(`the run ended: ${status}`));
    this.#flush(outputSeqEnd);
    if (lastEvent) this.#onEvent(lastEvent);
    const outcome: RunOutcome = { status, durationMs: performance.now() - this.#started, message };
    this.#onEvent({ kind: 'end', outcome });
    this.#resolve(outcome);
  }
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
