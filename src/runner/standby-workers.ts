/**
 * The supervisor's standby workers: started ahead of need and kept between
 * runs, belonging to no run yet. A fresh worker costs ~44 ms to start
 * (ARCHITECTURE.md, constraint 4); a run takes its main worker and the
 * workers that become its idle workers (idle-workers.ts) from here, and new
 * standby workers start off the run's critical path. Workers are never
 * given back: a reader's program may change globals or prototypes, and the
 * next run must not inherit that.
 */
import type { FromWorker, ToWorker } from './protocol.ts';

/** One worker as the supervisor sees it; each platform adapts its own. */
export interface WorkerHandle {
  post(message: ToWorker, transfer?: Transferable[]): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void;
}

export type WorkerFactory = () => WorkerHandle;

/** Already-started workers no run has taken yet, so `spawn` does not pay a worker's start-up (~44 ms). */
export class StandbyWorkers {
  readonly #factory: WorkerFactory;
  readonly #size: number;
  readonly #ready: WorkerHandle[] = [];
  #refilling = false;

  constructor(factory: WorkerFactory, size: number) {
    this.#factory = factory;
    this.#size = size;
  }

  warm(): void {
    while (this.#ready.length < this.#size) this.#ready.push(this.#factory());
  }

  take(): WorkerHandle {
    const worker = this.#ready.pop() ?? this.#factory();
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
    for (const worker of this.#ready.splice(0)) worker.terminate();
  }
}
