/**
 * What Rayon hands the closures of `join_context` and `broadcast`: where a
 * closure is running. No imports, so the registry (which makes them on the
 * threads that run the closures) and join.ts / broadcast.ts can share them.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/struct.FnContext.html,
 * https://docs.rs/rayon/latest/rayon/struct.BroadcastContext.html
 */

/** Given to each closure of `joinContext` (Rayon's `FnContext`). */
export class FnContext {
  readonly #migrated: boolean;

  /** @internal made by joinContext and by the pool thread that takes its second closure. */
  constructor(migrated: boolean) {
    this.#migrated = migrated;
  }

  /**
   * true if the closure runs on another thread than the one that called
   * `joinContext` (it was stolen). weft runs the first closure on the
   * calling thread, so its answer is false there, even outside a pool where
   * Rayon injects both closures into the pool and answers true for both; a
   * `ThreadPool.join` from outside its pool runs both on the pool: true.
   */
  migrated(): boolean {
    return this.#migrated;
  }
}

/** Given to each call of a `broadcast` or `spawnBroadcast` closure (Rayon's `BroadcastContext`). */
export class BroadcastContext {
  readonly #index: number;
  readonly #numThreads: number;

  /** @internal made by the pool thread that runs the closure. */
  constructor(index: number, numThreads: number) {
    this.#index = index;
    this.#numThreads = numThreads;
  }

  /** The index of the pool thread running this call, from 0 (Rayon: `BroadcastContext::index`). */
  index(): number {
    return this.#index;
  }

  /** How many threads the broadcast runs on: the pool's, each once (Rayon: `BroadcastContext::num_threads`). */
  numThreads(): number {
    return this.#numThreads;
  }

  toString(): string {
    return `BroadcastContext { index: ${this.#index}, numThreads: ${this.#numThreads} }`;
  }
}

/**
 * One of a pool's threads as `ThreadPoolBuilder.buildScoped`'s wrapper gets
 * it, on that thread, before it runs (Rayon's `ThreadBuilder`): the wrapper
 * sets things up, calls `run()`, which is the thread's whole life in the
 * pool (its start handler, its work, its exit handler), and may clean up
 * after it returns, once the pool is dropped.
 */
export class ThreadBuilder {
  readonly #index: number;
  readonly #name: string | undefined;
  readonly #run: () => void;
  #ran = false;

  /** @internal made by the pool thread (registry.ts) or, under a seed, by buildScoped. */
  constructor(index: number, name: string | undefined, run: () => void) {
    this.#index = index;
    this.#name = name;
    this.#run = run;
  }

  /** The index of this thread in its pool, from 0 (Rayon: `ThreadBuilder::index`). */
  index(): number {
    return this.#index;
  }

  /** The name `threadName` gave it, or undefined without one (Rayon: `ThreadBuilder::name`). */
  name(): string | undefined {
    return this.#name;
  }

  /** undefined: a JavaScript worker's stack size is the engine's (Rayon: `ThreadBuilder::stack_size`). */
  stackSize(): number | undefined {
    return undefined;
  }

  /** Runs the thread's life in the pool; returns once the pool is dropped (Rayon: `ThreadBuilder::run`). Once only. */
  run(): void {
    if (this.#ran) throw new Error(`ThreadBuilder.run() was called twice for pool thread ${this.#index}: a thread runs in its pool once`);
    this.#ran = true;
    this.#run();
  }

  /** @internal whether `run()` was called. */
  get ran(): boolean {
    return this.#ran;
  }

  toString(): string {
    return `ThreadBuilder { index: ${this.#index}, name: ${this.#name === undefined ? 'None' : JSON.stringify(this.#name)} }`;
  }
}
