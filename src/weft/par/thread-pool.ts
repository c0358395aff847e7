/**
 * Rayon's `ThreadPoolBuilder` and `ThreadPool`: a pool of its own size,
 * `install` to run par operations on it, and its own `join` and `scope`.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/struct.ThreadPoolBuilder.html
 */
import { context, type Owned } from '../runtime/context.ts';
import { ENCODE, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { own } from '../runtime/ownership.ts';
import { availableParallelism } from '../thread.ts';
import { currentNumThreads, withRegistry } from './current.ts';
import { broadcastIn, spawnBroadcastIn } from './broadcast.ts';
import { ThreadBuilder, type BroadcastContext } from './contexts.ts';
import { joinIn, scope, scopeFifo, spawnIn, type Scope, type ScopeFifo } from './join.ts';
import { createRegistry, currentWorker, runAsWorker, ensureStarted, Handler, handlePoolPanic, workerName, hasLocalTasks, installGlobal, runLifeHandlersHere, MAX_REGISTRY_THREADS, registryThreads, terminateRegistry, type Handlers } from './registry.ts';
import { liftedForPar } from './lifted.ts';
import { scheduled } from '../runtime/scheduler.ts';
import { RunStopped } from '../runtime/stop.ts';

export class ThreadPoolBuilder {
  #numThreads = 0;
  #cutoff = -1;
  #threadName: ((index: number) => string) | undefined;
  #handlers: Handlers = {};

  /** How many threads the pool has; 0 (the default) means one per core, as Rayon's default. At most 64. */
  numThreads(n: number): ThreadPoolBuilder {
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`numThreads expects a whole number, got ${String(n)}`);
    if (n > MAX_REGISTRY_THREADS) throw new RangeError(`a weft thread pool has at most ${MAX_REGISTRY_THREADS} threads, asked for ${n}`);
    this.#numThreads = n;
    return this;
  }

  /**
   * weft's own knob, not Rayon's: how long (µs) a terminal op runs on the
   * calling thread before it hands the rest of the work to the pool. 0 sends
   * every input to the pool at once; the default was measured (BENCHMARKS.md).
   */
  sequentialCutoff(micros: number): ThreadPoolBuilder {
    if (!(micros >= 0)) throw new TypeError(`sequentialCutoff expects microseconds ≥ 0, got ${String(micros)}`);
    this.#cutoff = Math.round(micros);
    return this;
  }

  /**
   * Names the pool's threads: `f(index)` for the thread of each index, from
   * 0 (Rayon's `thread_name`). Called by `build()`, on the calling thread,
   * so a panic in `f` comes out of `build()`. Without it the threads are
   * `par-worker-1`, `par-worker-2`, ...
   */
  threadName(f: (index: number) => string): ThreadPoolBuilder {
    if (typeof f !== 'function') throw new TypeError(`threadName expects a closure, like threadName((i) => \`worker-\${i}\`), but got ${f === null ? 'null' : typeof f}`);
    this.#threadName = f;
    return this;
  }

  /**
   * `f(index)` runs on each of the pool's threads as it starts, before it
   * takes any work (Rayon's `start_handler`). `f` runs on the pool's
   * threads, so it is written in the call, like a par closure, and borrows
   * what it captures (Rayon's handler is `Fn + Sync`: shared by the
   * threads). A panic in it goes to the `panicHandler`. A pool with a start
   * or exit handler starts its threads at `build()`, as every Rayon pool
   * does (other weft pools start theirs when first given work). Under a
   * seed weft runs a pool's work on the calling thread and starts no pool
   * threads: the start handlers are called there, at `build()`, once per
   * thread index in order, and the exit handlers at the pool's drop.
   */
  startHandler(f: (index: number) => void): ThreadPoolBuilder {
    this.#handlers.start = liftedForPar(f, 'startHandler', HANDLER_HOW_TO('startHandler', '(i) => …'));
    return this;
  }

  /**
   * `f(index)` runs on each of the pool's threads as it ends, once the pool
   * is dropped (Rayon's `exit_handler`); as `startHandler` says, it borrows
   * what it captures and a panic in it goes to the `panicHandler`. As in
   * Rayon, `drop(pool)` returns at once: the handlers run afterwards, as
   * each thread finishes the work it was given and ends.
   */
  exitHandler(f: (index: number) => void): ThreadPoolBuilder {
    this.#handlers.exit = liftedForPar(f, 'exitHandler', HANDLER_HOW_TO('exitHandler', '(i) => …'));
    return this;
  }

  /**
   * `f(payload)` is called, on the pool thread where it happened, with what
   * a job given to `spawn` (or `spawnFifo`, `spawnBroadcast`) threw, or
   * a start or exit handler (Rayon's `panic_handler`): the value itself, as
   * Rust's handler gets the panic's payload. Without one weft shows the
   * panic as a thread's panic and the pool goes on (Rayon aborts the
   * process); so does a panic in the panic handler (Rayon aborts). Panics in
   * `join`, `scope` and par iterators go to their caller, as in Rayon.
   */
  panicHandler(f: (payload: unknown) => void): ThreadPoolBuilder {
    this.#handlers.panic = liftedForPar(f, 'panicHandler', HANDLER_HOW_TO('panicHandler', '(payload) => …'));
    return this;
  }

  /**
   * Accepted for Rayon's API (`stack_size`) and has no effect: a JavaScript
   * worker's stack size is the engine's, not set per thread.
   */
  stackSize(bytes: number): ThreadPoolBuilder {
    if (!Number.isInteger(bytes) || bytes < 0) throw new TypeError(`stackSize expects a whole number of bytes, got ${String(bytes)}`);
    return this;
  }

  /** Makes the pool; its threads start when it is first given work (at once with a start or exit handler). */
  build(): ThreadPool {
    return new ThreadPool(this.#registry());
  }

  /**
   * Rayon's `spawn_handler` hands each pool thread to a closure that spawns
   * it itself (`std::thread::spawn(|| thread.run())`). weft cannot: a
   * pool's threads are workers that the run's host starts for it (in a
   * browser only the page can start a worker while others wait), not
   * threads a program spawns. So this throws, saying what to write:
   * `buildScoped(wrapper, withPool)` runs code around each pool thread's
   * life on that thread, `startHandler`/`exitHandler` at its start and end,
   * `threadName` names it.
   */
  spawnHandler(_spawn: (thread: ThreadBuilder) => void): never {
    throw new Error(
      'spawnHandler is not available in weft: a pool\'s threads are started by weft, not spawned by the program. ' +
        'To run code on each pool thread around its work, use buildScoped((thread) => { …; thread.run(); … }, (pool) => …); ' +
        'for code at its start or end, startHandler / exitHandler; to name the threads, threadName.',
    );
  }

  /**
   * Makes the pool with each of its threads run inside `wrapper`, calls
   * `withPool(pool)`, then drops the pool and waits for its threads to end,
   * and returns what `withPool` returned (Rayon's `build_scoped`, whose
   * `Result` is the value here: a failed build throws). `wrapper(thread)`
   * runs on each pool thread as it starts: what it does before
   * `thread.run()` comes before the thread takes any work (a thread-local
   * set for the pool's work, say), what it does after comes once the pool
   * is dropped. `wrapper` runs on the pool's threads, so it is written in
   * the call, like a handler, and borrows what it captures; a panic in it,
   * or a return without `thread.run()`, goes to the panic handler (and the
   * thread runs anyway). `withPool` runs here. Under a seed, where no pool
   * thread starts, the wrappers run here, nested in index order, with
   * `withPool` inside the innermost `run()`.
   */
  buildScoped<R>(wrapper: (thread: ThreadBuilder) => void, withPool: (pool: ThreadPool) => R): R {
    if (typeof withPool !== 'function') throw new TypeError(`buildScoped expects two closures, buildScoped((thread) => thread.run(), (pool) => …), but its second is ${withPool === null ? 'null' : typeof withPool}`);
    const lifted = liftedForPar(wrapper, 'buildScoped', HANDLER_HOW_TO('buildScoped', '(thread) => { …; thread.run(); }, (pool) => …'));
    const mem = context().memory;
    if (!scheduled(mem)) {
      this.#handlers.wrap = lifted;
      let pool: ThreadPool;
      try {
        pool = this.build();
      } finally {
        delete this.#handlers.wrap;
      }
      try {
        return withPool(pool);
      } finally {
        pool.drop(true); // build_scoped runs the pool's threads in a std::thread::scope: they have ended when it returns
      }
    }
    // Under a seed: the wrappers nest here, thread 0's outermost; the innermost run() is the pool's life.
    const n = this.#threads();
    const registry = this.#registry(false);
    const pool = new ThreadPool(registry);
    let result: { value: R } | undefined;
    let failed: { error: unknown } | undefined;
    const named = this.#threadName !== undefined;
    const life = (index: number): void => {
      if (index === n) {
        runLifeHandlersHere(registry, Handler.start);
        try {
          result = { value: withPool(pool) };
        } catch (error) {
          failed = { error }; // comes out of buildScoped, after the wrappers' ends, not through them
        } finally {
          pool.drop();
        }
        return;
      }
      const thread = new ThreadBuilder(index, named ? workerName(registry, index) : undefined, () => life(index + 1));
      // As on the pool's threads (registry.ts workerMain): a wrapper's panic, or a return without run(), goes to the panic handler and the pool runs anyway.
      try {
        lifted.fn(thread);
      } catch (error) {
        if (error instanceof RunStopped) throw error;
        handlePoolPanic(registry, error);
      }
      if (!thread.ran) {
        handlePoolPanic(registry, new Error(`buildScoped's wrapper returned without calling thread.run() on pool thread ${index}; Rayon's pool would wait for that thread for ever, weft runs it anyway`));
        life(index + 1);
      }
    };
    life(0);
    if (failed !== undefined) throw failed.error;
    return result!.value;
  }

  /**
   * Makes the pool and makes it the global one, which par operations use
   * outside any `install` (Rayon's `build_global`). Throws if the global
   * pool exists already: made by an earlier `buildGlobal`, or by the first
   * par operation of the run (Rayon returns that as an `Err`).
   */
  buildGlobal(): void {
    if (!installGlobal(this.#registry())) throw new Error('The global thread pool has already been initialized.');
  }

  /** How many threads the pool gets. */
  #threads(): number {
    return Math.min(MAX_REGISTRY_THREADS, this.#numThreads === 0 ? availableParallelism() : this.#numThreads);
  }

  /** The pool's registry; `startHandlers`: false when buildScoped calls them itself (under a seed). */
  #registry(startHandlers = true): number {
    const n = this.#threads();
    const names = this.#threadName === undefined ? undefined : this.#names(n);
    return this.#started(createRegistry(n, this.#cutoff, names, this.#handlers), startHandlers);
  }

  /** Starts the registry's threads at build when it has a handler or a wrapper to call, as Rayon starts every pool's. */
  #started(registry: number, startHandlers = true): number {
    if (this.#handlers.start !== undefined || this.#handlers.exit !== undefined || this.#handlers.wrap !== undefined) {
      if (!scheduled(context().memory)) ensureStarted(registry);
      // Under a seed no pool thread starts: the start handlers run here, once per thread index (registry.ts).
      else if (startHandlers) runLifeHandlersHere(registry, Handler.start);
    }
    return registry;
  }

  /**
   * The `threadName` of each thread, in index order. Rayon names each thread
   * as it spawns it, so when `f` panics for thread k, threads 0..k have
   * started (their start handlers ran) and are ended again (their exit
   * handlers run) before the panic comes out of `build()`: so here too
   * (rayon-core thread_pool/test.rs panic_thread_name).
   */
  #names(n: number): string[] {
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      try {
        names.push(String(this.#threadName!(i)));
      } catch (error) {
        if (names.length > 0) terminateRegistry(this.#started(createRegistry(names.length, this.#cutoff, names, this.#handlers)));
        throw error;
      }
    }
    return names;
  }
}

const HANDLER_HOW_TO = (api: string, params: string) =>
  `Write the closure in the call, on a builder made in place or held in a const: new ThreadPoolBuilder().${api}(${params})`;

/**
 * A pool of threads of its own. Like Rayon's, it can be used from any
 * thread: move it into a thread, share it through an `Arc`, or borrow it in
 * scoped threads (Rayon's `ThreadPool` is `Send` and `Sync`).
 *
 * Dropping it ends its threads, as Rust's drop of a ThreadPool does: by
 * `drop(pool)`, `using pool = …`, or when the thread that owns it ends (the
 * last Arc of it, if it is in one). A program that builds pools in a loop
 * drops each one: a pool's threads are real threads, each with its own heap.
 */
export class ThreadPool extends MovableHandle implements Owned, Disposable {
  protected readonly what = 'ThreadPool';
  readonly #registry: number;
  /** Lent (a scoped thread's, an Arc's): its owner's handle is the one that drops the pool. */
  readonly #borrowed: boolean;
  #dropped = false;

  /** @internal use `new ThreadPoolBuilder().build()`. */
  constructor(registry: number, owned = true) {
    super();
    this.#registry = registry;
    this.#borrowed = !owned;
    if (owned) own(this);
  }

  [ENCODE]() {
    this.assertUsable();
    return { kind: HandleKind.ThreadPool, addr: this.#registry };
  }

  protected override assertUsable(): void {
    super.assertUsable();
    if (this.#dropped) throw new Error('use of dropped value: this ThreadPool was dropped, and its threads have ended');
  }

  /**
   * Tells the pool's threads to end once what they were given is done, and
   * returns at once, without waiting for them (Rayon's `ThreadPool` drop:
   * to wait for the work, `install` or `scope` it; to wait for the threads,
   * meet them in an `exitHandler`). `waitForThreads` is weft's own, for
   * `buildScoped`, whose threads have ended when it returns, as Rayon's do.
   */
  drop(waitForThreads = false): void {
    if (this.#dropped || this.isMoved) return;
    if (this.#borrowed) {
      throw new Error('cannot drop a borrowed ThreadPool: the thread that owns it drops it (in Rust, a borrowed value cannot be dropped)');
    }
    this.#dropped = true;
    context().owned.delete(this);
    terminateRegistry(this.#registry, waitForThreads);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  dropOnExit(): void {
    this.drop();
  }

  /**
   * Runs `f` on one of this pool's threads, with this pool as the current
   * one: the par iterators, `join`s and scopes inside run on its threads
   * (Rayon's `install`). The calling thread waits, and `f`'s panic comes out
   * here. `f` keeps what it borrows (Rust lets it change them): weft moves
   * the pool thread rather than `f`, so `f` runs on the calling thread in that
   * thread's place, with its index and its work queue (par/registry.ts
   * `runAsWorker`); `thread.current()` and thread-locals stay the caller's.
   * From outside the pool that place is handed over by a pool thread, which
   * must wake for it (84 µs an install, measured on the loaded reference
   * machine; 2 µs before, when `f` ran as the caller), as Rayon's install
   * from outside injects a job and waits for a pool thread to take it.
   * Under a seed, `f` runs as the caller, outside the pool, as every seeded
   * par operation runs its closures in turn on the calling thread.
   */
  install<R>(f: () => R): R {
    this.assertUsable();
    return this.#onPoolThread(f);
  }

  /** `f` as one of this pool's threads, with this pool current (install, scope, scopeFifo). */
  #onPoolThread<R>(f: () => R): R {
    const registry = this.#registry;
    if (scheduled(context().memory)) return withRegistry(registry, f);
    return runAsWorker(registry, () => withRegistry(registry, f));
  }

  /**
   * Runs `a` and `b`, potentially in parallel, on this pool's threads, and
   * returns both results (Rayon's `ThreadPool::join`). Called from outside
   * the pool, both closures go to the pool and this thread waits, as in
   * Rayon (`install(() => join(a, b))` runs `a` where install runs its
   * closure, in a pool thread's place). Both always run; a panic in either is rethrown
   * here once both are over, `a`'s first.
   */
  join<A, B>(a: () => A, b: () => B): [A, B] {
    this.assertUsable();
    return joinIn(this.#registry, a, b);
  }

  /**
   * Runs `f` with a Scope whose spawned closures run on this pool's threads;
   * returns once all of them have finished, then rethrows the first panic
   * among them (Rayon's `ThreadPool::scope`). As with `install`, `f` runs in
   * the place of one of the pool's threads, so what it spawns goes on that
   * thread's queue and, with nobody stealing, runs newest first.
   */
  scope<R>(f: (s: Scope) => R): R {
    this.assertUsable();
    return this.#onPoolThread(() => scope(f));
  }

  /**
   * Runs `f` on this pool some time later and returns at once (Rayon's
   * `ThreadPool::spawn`): `f` takes what it captures, as par's `spawn` says.
   */
  spawn(f: () => void): void {
    this.assertUsable();
    spawnIn(this.#registry, f);
  }

  /**
   * Runs `f` on this pool some time later and returns at once, as `spawn`
   * does, but a thread of this pool that spawns several starts them oldest
   * first (Rayon's `ThreadPool::spawn_fifo`; see par's `spawnFifo`).
   */
  spawnFifo(f: () => void): void {
    this.assertUsable();
    spawnIn(this.#registry, f, true);
  }

  /**
   * Runs `f` once on each of this pool's threads and returns the results in
   * thread-index order (Rayon's `ThreadPool::broadcast`); see par's `broadcast`.
   */
  broadcast<R>(f: (ctx: BroadcastContext) => R): R[] {
    this.assertUsable();
    return broadcastIn(this.#registry, f);
  }

  /**
   * Runs `f` once on each of this pool's threads, some time later, and
   * returns at once (Rayon's `ThreadPool::spawn_broadcast`); see par's `spawnBroadcast`.
   */
  spawnBroadcast(f: (ctx: BroadcastContext) => void): void {
    this.assertUsable();
    spawnBroadcastIn(this.#registry, f);
  }

  /** `scope` with FIFO spawns, on this pool (Rayon's `ThreadPool::scope_fifo`). */
  scopeFifo<R>(f: (s: ScopeFifo) => R): R {
    this.assertUsable();
    return this.#onPoolThread(() => scopeFifo(f));
  }

  /** `scope` with its body run on the calling thread, as itself (Rayon's `ThreadPool::in_place_scope`); its spawns run on this pool. */
  inPlaceScope<R>(f: (s: Scope) => R): R {
    this.assertUsable();
    return withRegistry(this.#registry, () => scope(f));
  }

  /** `scopeFifo` with its body run on the calling thread, as itself (Rayon's `ThreadPool::in_place_scope_fifo`). */
  inPlaceScopeFifo<R>(f: (s: ScopeFifo) => R): R {
    this.assertUsable();
    return withRegistry(this.#registry, () => scopeFifo(f));
  }

  /**
   * Whether the thread running this code, if it is one of this pool's, has
   * tasks waiting in its own queue; undefined on any other thread (Rayon's
   * `ThreadPool::current_thread_has_pending_tasks`).
   */
  currentThreadHasPendingTasks(): boolean | undefined {
    this.assertUsable();
    const worker = currentWorker();
    return worker !== undefined && worker.registry === this.#registry ? hasLocalTasks(worker) : undefined;
  }

  /**
   * The index of the thread running this code within this pool, or
   * undefined when it is not one of this pool's threads (Rayon's
   * `ThreadPool::current_thread_index`).
   */
  currentThreadIndex(): number | undefined {
    this.assertUsable();
    const worker = currentWorker();
    return worker !== undefined && worker.registry === this.#registry ? worker.index : undefined;
  }

  /** How many threads this pool has. */
  currentNumThreads(): number {
    this.assertUsable();
    return registryThreads(this.#registry);
  }

  toString(): string {
    return `ThreadPool { numThreads: ${registryThreads(this.#registry)} }`;
  }
}

registerDecoder(HandleKind.ThreadPool, (registry, owned) => new ThreadPool(registry, owned));

export { currentNumThreads };
