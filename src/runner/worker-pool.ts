/**
 * Where a run takes its workers from: the supervisor's standby workers,
 * started ahead of need and belonging to no run yet, and the warm workers,
 * which served a run of the same program and are at rest.
 *
 * A fresh worker costs ~44 ms to start (ARCHITECTURE.md, constraint 4), and
 * a grading runs one program a dozen times, each run with a main worker and
 * a few thread workers: starting them was most of a Check's time. So a
 * worker whose part in a run is over and who said so ('released': nothing of
 * the program on its stack, its timers cancelled, protocol.ts) is kept, and
 * the next run of the same source takes it before any fresh one; it starts
 * that run as a fresh worker would (weft/runtime/run-local.ts), loading the
 * program again. A run of any other source never gets one: a program may
 * change globals or prototypes, and another program must not inherit that;
 * when another source runs, the warm workers are ended. A run that was
 * stopped, ran out of time or memory, or crashed leaves no warm worker:
 * its workers may be in the middle of the program, and are ended. At most
 * MAX_WARM_WORKERS are kept, each for at most MAX_RUNS_PER_WORKER runs, and
 * none once the program has not run for a minute.
 */
import type { FromWorker, ToWorker } from './protocol.ts';

/** One worker as the supervisor sees it; each platform adapts its own. */
export interface WorkerHandle {
  post(message: ToWorker, transfer?: Transferable[]): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onError(listener: (error: unknown) => void): void;
  /**
   * Called when the worker ends by itself (not through `terminate`): in Node a
   * program's `process.exit()` ends its worker without an error. Hosts where a
   * worker cannot end itself (the browser, once lockdown.ts took `close`) leave it out.
   */
  onExit?(listener: (code: number) => void): void;
  terminate(): void;
}

/** A worker ended by itself, with `code` (`process.exit(code)` in a program, in Node). */
export class WorkerExited extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`its worker ended with exit code ${code}`);
    this.code = code;
    this.name = 'WorkerExited';
  }
}

export type WorkerFactory = () => WorkerHandle;

/** What a pooled worker's messages go to while a run has it. */
export interface WorkerOwner {
  receive(worker: PooledWorker, message: FromWorker): void;
  failed(worker: PooledWorker, error: unknown): void;
}

/** What arrives from a worker: a protocol message, signed with the worker's token (protocol.ts, "Integrity"). */
type Signed = FromWorker & { token?: string };

/** 128 random bits, hex: a worker's token. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A worker and what the supervisor knows of it: its token, the run it serves, whether it is at rest. */
export class PooledWorker {
  readonly handle: WorkerHandle;
  /** Sent in its first message; every message it sends carries it. */
  readonly token = newToken();
  owner: WorkerOwner | undefined;
  /** It said 'released' and has not been given a run since. */
  atRest = true;
  /** Runs it took part in. */
  runs = 0;
  #ended = false;
  #onRest: (() => void) | undefined;

  constructor(handle: WorkerHandle) {
    this.handle = handle;
    handle.onMessage((message) => {
      // A message the program forged through the worker's port has no token and is dropped.
      if ((message as Signed).token !== this.token) return;
      if (message.kind === 'released') {
        this.atRest = true;
        const onRest = this.#onRest;
        this.#onRest = undefined;
        onRest?.();
      }
      this.owner?.receive(this, message);
    });
    handle.onError((error) => {
      this.atRest = false;
      this.owner?.failed(this, error);
      this.end();
    });
    // Ended under a run, or at rest in the pool: either way it must not be given a run again.
    handle.onExit?.((code) => {
      if (this.#ended) return;
      this.atRest = false;
      // Ended first: the run it served gives its workers back in failed(), and this one must not be kept.
      const owner = this.owner;
      this.end();
      owner?.failed(this, new WorkerExited(code));
    });
  }

  /** Sends it its part in a run. */
  post(message: ToWorker, transfer?: Transferable[]): void {
    this.atRest = false;
    this.runs++;
    this.handle.post(message, transfer);
  }

  /** Calls `then` once it is at rest (now, if it is). */
  whenAtRest(then: () => void): void {
    if (this.atRest) then();
    else this.#onRest = then;
  }

  get ended(): boolean {
    return this.#ended;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.owner = undefined;
    this.#onRest = undefined;
    this.handle.terminate();
  }
}

/** How long a finished run's workers may take to come to rest before they are ended instead of kept. */
const SETTLE_MS = 1000;
/** Warm workers kept for the next run of the same program. */
export const MAX_WARM_WORKERS = 8;
/** Warm workers are ended when the program has not run for this long: a reader who moved on should not keep them in memory. */
const WARM_IDLE_MS = 60_000;
/** A worker serves at most this many runs: what a program leaves in globals grows no further. */
const MAX_RUNS_PER_WORKER = 100;

export class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #size: number;
  readonly #maxWarm: number;
  readonly #ready: PooledWorker[] = [];
  #refilling = false;
  /** The source the warm workers ran, and them, most recently rested last. */
  #warmSource: string | undefined;
  readonly #warm: PooledWorker[] = [];
  /** Ends the warm workers WARM_IDLE_MS after the last one came to rest. */
  #warmExpiry: ReturnType<typeof setTimeout> | undefined;
  /** Workers of finished runs still coming to rest, with the timer that ends them if they do not. */
  readonly #settling = new Map<PooledWorker, ReturnType<typeof setTimeout>>();
  /** The source the settling workers ran (the last run given back), and who waits for them to come to rest. */
  #settlingSource: string | undefined;
  readonly #onSettled: (() => void)[] = [];

  /** `size`: standby workers to keep; `maxWarm`: warm workers to keep. */
  constructor(factory: WorkerFactory, size: number, maxWarm: number) {
    this.#factory = factory;
    this.#size = size;
    this.#maxWarm = maxWarm;
  }

  /** Starts standby workers until there are `size`. */
  warm(): void {
    while (this.#ready.length < this.#size) this.#ready.push(new PooledWorker(this.#factory()));
  }

  /** A worker for a run of `source`: a warm one that ran it, else a standby one (started now if none is ready). */
  take(source: string): PooledWorker {
    if (this.#warmSource !== source) this.#endWarm();
    // A worker that failed while it waited here (its error ended it) is passed over.
    const live = (list: PooledWorker[]) => {
      for (let worker = list.pop(); worker !== undefined; worker = list.pop()) if (!worker.ended) return worker;
      return undefined;
    };
    const warm = live(this.#warm);
    if (warm !== undefined) return warm;
    const worker = live(this.#ready) ?? new PooledWorker(this.#factory());
    this.#scheduleRefill();
    return worker;
  }

  /**
   * A finished run gives back its workers: `reusable` when the run ended on
   * its own (its workers come to rest once they see the run's stop flag);
   * otherwise they are ended now.
   */
  giveBack(workers: Iterable<PooledWorker>, source: string, reusable: boolean): void {
    this.#settlingSource = source;
    for (const worker of workers) {
      worker.owner = undefined;
      if (!reusable || worker.ended || worker.runs >= MAX_RUNS_PER_WORKER) {
        worker.end();
        continue;
      }
      const timer = setTimeout(() => {
        if (!this.#settling.delete(worker)) return;
        worker.end();
        this.#maybeSettled();
      }, SETTLE_MS);
      // In Node, a worker coming to rest must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
      this.#settling.set(worker, timer);
      worker.whenAtRest(() => {
        clearTimeout(timer);
        if (!this.#settling.delete(worker)) return;
        this.#keepWarm(worker, source);
        this.#wakeWaiters();
      });
    }
    this.#maybeSettled();
  }

  /**
   * Resolves once a worker of the last finished run of `source` has come to rest (or none is left coming to
   * rest), or after `maxMs`: a run of the same program started right after the last one ended (a grading's next
   * run) then takes its main worker warm (a few ms), instead of a standby worker that may still be starting (~45 ms,
   * several hundred under load). Resolves at once when a warm worker is there or no worker of `source` is settling.
   */
  settled(source: string, maxMs: number): Promise<boolean> {
    if (!this.comingToRest(source) || this.hasWarm(source)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const woken = () => {
        clearTimeout(timer);
        resolve(true);
      };
      // Run out: no longer a waiter (a run that waited in vain must not pile up in the list).
      const timer = setTimeout(() => {
        const at = this.#onSettled.indexOf(woken);
        if (at >= 0) this.#onSettled.splice(at, 1);
        resolve(false);
      }, maxMs);
      this.#onSettled.push(woken);
    });
  }

  /** Workers of the last finished run of `source` are still coming to rest. */
  comingToRest(source: string): boolean {
    return this.#settling.size > 0 && this.#settlingSource === source;
  }

  /** A warm worker of `source` is there to take. */
  hasWarm(source: string): boolean {
    return this.#warmSource === source && this.#warm.some((w) => !w.ended);
  }

  #maybeSettled(): void {
    if (this.#settling.size === 0) this.#wakeWaiters();
  }

  #wakeWaiters(): void {
    for (const then of this.#onSettled.splice(0)) then();
  }

  #keepWarm(worker: PooledWorker, source: string): void {
    if (this.#warmSource !== source) {
      this.#endWarm();
      this.#warmSource = source;
    }
    if (this.#warm.length >= this.#maxWarm) {
      worker.end();
      return;
    }
    this.#warm.push(worker);
    clearTimeout(this.#warmExpiry);
    this.#warmExpiry = setTimeout(() => this.#endWarm(), WARM_IDLE_MS);
    (this.#warmExpiry as { unref?: () => void }).unref?.();
  }

  #endWarm(): void {
    clearTimeout(this.#warmExpiry);
    for (const worker of this.#warm.splice(0)) worker.end();
    this.#warmSource = undefined;
  }

  /** Workers started and not ended that belong to no run: standby, warm, and still settling. */
  get kept(): number {
    return this.#ready.length + this.#warm.length + this.#settling.size;
  }

  get keptByKind(): { standby: number; warm: number; settling: number } {
    return { standby: this.#ready.length, warm: this.#warm.length, settling: this.#settling.size };
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
    for (const worker of this.#ready.splice(0)) worker.end();
    this.#endWarm();
    for (const [worker, timer] of this.#settling) {
      clearTimeout(timer);
      worker.end();
    }
    this.#settling.clear();
    this.#maybeSettled();
  }
}
