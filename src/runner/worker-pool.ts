/**
 * The supervisor's already-started workers, kept between runs. A fresh
 * worker costs ~44 ms to start (ARCHITECTURE.md, constraint 4); a run takes
 * its main worker and its thread workers from here, and the pool starts new
 * ones off the run's critical path. Workers are never given back: a
 * reader's program may change globals or prototypes, and the next run must
 * not inherit that.
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

/** Idle, already-started workers, so `spawn` does not pay a worker's start-up (~44 ms). */
export class WorkerPool {
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
