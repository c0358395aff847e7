/**
 * tokio::task::LocalSet and spawn_local: a set of tasks that run only while
 * the set is driven, by `runUntil(future)` or by awaiting the set itself.
 * https://docs.rs/tokio/latest/tokio/task/struct.LocalSet.html
 *
 * In Tokio a LocalSet exists for `!Send` futures: every task of weft's
 * runtime already stays on its thread (the runtime is current-thread), so
 * what a LocalSet adds here is the rest of its meaning: its tasks are
 * polled only while something drives the set, `spawnLocal` spawns into the
 * set being driven (and throws outside one, as Tokio panics), awaiting the
 * set waits for all its tasks, and dropping it drops every task it still
 * has, at once.
 *
 * Made from weft's own tasks: a local task is a task of the runtime that
 * drives the set, with the usual id, JoinHandle, abort and hang report; its
 * future is wrapped so that a poll while the set is not driven parks it
 * until the set is driven again, and so that the set is the current one
 * while it runs. Two differences from Tokio, both from building on the
 * runtime's own tasks: a task spawned on the set outside async code joins
 * the first runtime that drives the set (and gets its id then), and when
 * that runtime shuts down (`blockOn` returns) the set's tasks are dropped
 * with it, where Tokio keeps them in the set for the next `block_on`.
 */
import { dropFuture, intoFuture, PENDING, Poll, refuseThen, Waker, type Awaitable, type Context, type Future, type IntoFuture } from './future.ts';
import { JoinHandle } from './spawn.ts';
import { takeCaptures } from './move.ts';
import { blockOn } from './runtime.ts';
import { currentRuntime, runtimeOrThrow } from './runtime/context.ts';
import { DONE, Task, type Schedule } from './runtime/task.ts';
import { pollFn } from './sync/poll-fn.ts';
import { runLocal } from '../runtime/run-local.ts';

/** The LocalSet being driven, or entered, on this thread (Tokio's `CURRENT` of local.rs). */
let current: LocalSet | null = null;
runLocal(() => (current = null));

/** Runs `f` with `set` as the current LocalSet. */
function within<R>(set: LocalSet | null, f: () => R): R {
  const outer = current;
  current = set;
  try {
    return f();
  } finally {
    current = outer;
  }
}

/** What a task made outside async code asks of its "runtime" until one adopts it: nothing can wake it yet. */
const NOT_YET_RUN: Schedule = {
  enqueue() {},
  abort(task: Task) {
    task.abortRequested = true;
  },
  watchRemoteAbort(task: Task, addr: number) {
    task.remoteAbort = addr;
  },
};

/** The future of a local task: the spawned one, polled only while its set is driven. */
class LocalTaskFuture implements Future<unknown> {
  readonly #set: LocalSet;
  #inner: Future<unknown> | null;
  #parked = false;
  constructor(set: LocalSet, inner: Future<unknown>) {
    this.#set = set;
    this.#inner = inner;
  }
  poll(cx: Context): Poll<unknown> {
    if (!this.#set.driven()) {
      this.#parked = true;
      this.#set.park(cx.waker());
      return PENDING;
    }
    this.#parked = false;
    return within(this.#set, () => this.#inner!.poll(cx));
  }
  [Symbol.dispose](): void {
    const inner = this.#inner;
    this.#inner = null;
    within(this.#set, () => dropFuture(inner));
  }
  awaiting(): Future<unknown> | null {
    return this.#parked ? null : this.#inner;
  }
  describe(): string {
    return 'its LocalSet to be driven (by runUntil, or by awaiting the set)';
  }
}

/** A set of tasks that run while the set is driven (Tokio's `LocalSet`). Awaiting it waits for all its tasks. */
export class LocalSet implements Future<void> {
  /** Its tasks that have not finished. */
  readonly #tasks = new Set<Task>();
  /** Tasks spawned outside async code: the first runtime that drives the set adopts them. */
  #unrun: Task[] = [];
  /** Tasks polled while the set was not driven: woken when it is. */
  #parked: Waker[] = [];
  /** Futures driving the set now: runUntil futures and awaits of the set, polled and not yet finished or dropped. */
  #drivers = 0;
  /** Whether an `await` of the set is driving it. */
  #awaited = false;
  /** The await of the set, woken when its last task ends. */
  #idle: Waker | null = null;
  declare then: Awaitable<void>['then'];

  /**
   * Spawns `future` as a task of this set (Tokio's `LocalSet::spawn_local`):
   * it runs only while the set is driven. Outside async code the task waits
   * for the first runtime that drives the set.
   */
  spawnLocal<T>(future: IntoFuture<T> | (() => IntoFuture<T>), options?: { name?: string }): JoinHandle<T> {
    const name = options?.name;
    const runtime = currentRuntime();
    const owned: object[] = [];
    const id = runtime?.takeTaskId() ?? 0;
    const inner = takeCaptures(future, 'spawnLocal', id, name, owned);
    const wrapped = new LocalTaskFuture(this, inner);
    let task: Task;
    if (runtime !== undefined) task = runtime.spawn(wrapped, name, id);
    else {
      task = new Task(NOT_YET_RUN, 0, name, wrapped);
      this.#unrun.push(task);
    }
    if (owned.length > 0) task.owned = owned;
    this.#tasks.add(task);
    (task.onDone ??= []).push(Waker.from(() => this.#ended(task)));
    return new JoinHandle<T>(task);
  }

  /**
   * Runs `future`, driving the set's tasks while it waits, and finishes with
   * its value (Tokio's `run_until`). Inside, `spawnLocal` spawns into this
   * set. Tasks still running when `future` finishes stay in the set: they go
   * on the next time it is driven.
   */
  runUntil<T>(future: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
    let inner: Future<T> | null = null;
    let driving = false;
    const stop = (): void => {
      if (driving) {
        driving = false;
        this.#stopDriving();
      }
    };
    return pollFn(
      (cx: Context): Poll<T> => {
        if (!driving) {
          driving = true;
          this.#startDriving();
        }
        let result: Poll<T>;
        try {
          result = within(this, () => (inner ??= intoFuture<T>(future, 'runUntil')).poll(cx));
        } catch (error) {
          stop();
          throw error;
        }
        if (result.ready) stop();
        return result;
      },
      () => 'the future given to LocalSet.runUntil',
      () => {
        stop();
        within(this, () => dropFuture(inner));
      },
    );
  }

  /**
   * Runs `future` on a new runtime of this thread, driving the set (Tokio's
   * `LocalSet::block_on(&rt, future)`: weft's `blockOn` makes the runtime,
   * so there is no `rt` to pass). Throws inside async code, as Tokio panics.
   */
  blockOn<T>(future: IntoFuture<T> | (() => IntoFuture<T>)): T {
    if (currentRuntime() !== undefined) {
      throw new Error('LocalSet.blockOn: cannot start a runtime from within a runtime (this thread is already running async code): await local.runUntil(future) instead');
    }
    return blockOn(this.runUntil(future));
  }

  /**
   * Makes this the current set until the guard is disposed (Tokio's
   * `LocalSet::enter`): `spawnLocal` spawns into it meanwhile.
   */
  enter(): { [Symbol.dispose](): void } {
    const outer = current;
    current = this;
    let left = false;
    return {
      [Symbol.dispose]: () => {
        if (left) return;
        left = true;
        current = outer;
      },
    };
  }

  /** Awaiting the set: drives it until every task it has is done (Tokio's `impl Future for LocalSet`). */
  poll(cx: Context): Poll<void> {
    if (!this.#awaited) {
      this.#awaited = true;
      this.#startDriving();
    }
    if (this.#tasks.size === 0) {
      this.#awaited = false;
      this.#idle = null;
      this.#stopDriving();
      return Poll.ready(undefined);
    }
    this.#idle = cx.waker();
    return PENDING;
  }

  /**
   * Drops the set (also what `drop(local)` and `using local = new LocalSet()`
   * do): every task it still has is cancelled now, its cleanup run before
   * this returns, as Tokio drops a LocalSet's tasks.
   */
  [Symbol.dispose](): void {
    if (this.#awaited) {
      this.#awaited = false;
      this.#stopDriving();
    }
    this.#idle = null;
    const unrun = this.#unrun;
    this.#unrun = [];
    for (const task of unrun) {
      // Never run: its future is dropped, and it ends as cancelled for whoever holds its JoinHandle.
      const future = task.future;
      task.future = null;
      within(this, () => dropFuture(future));
      task.outcome = { kind: 'cancelled' };
      task.state = DONE;
      const onDone = task.onDone;
      task.onDone = null;
      if (onDone !== null) for (const waker of onDone) waker.wake();
    }
    for (const task of [...this.#tasks]) {
      const runtime = task.runtime as Schedule & { cancelNow?: (task: Task) => void };
      if (runtime.cancelNow !== undefined) runtime.cancelNow(task);
      else runtime.abort(task);
    }
  }

  describe(): string {
    return `the ${this.#tasks.size} tasks of a LocalSet to finish`;
  }

  /** @internal Whether something drives the set now: its tasks may run. */
  driven(): boolean {
    return this.#drivers > 0;
  }

  /** @internal A task polled while the set is not driven waits for it to be. */
  park(waker: Waker): void {
    this.#parked.push(waker);
  }

  #startDriving(): void {
    if (this.#drivers++ > 0) return;
    if (this.#unrun.length > 0) {
      const runtime = runtimeOrThrow('driving a LocalSet');
      const unrun = this.#unrun;
      this.#unrun = [];
      for (const task of unrun) {
        runtime.adopt(task);
        if (task.remoteAbort !== 0) runtime.watchRemoteAbort(task, task.remoteAbort);
        if (task.abortRequested) runtime.abort(task);
      }
    }
    const parked = this.#parked;
    this.#parked = [];
    for (const waker of parked) waker.wake();
  }

  #stopDriving(): void {
    this.#drivers--;
  }

  #ended(task: Task): void {
    this.#tasks.delete(task);
    if (this.#tasks.size === 0) {
      const idle = this.#idle;
      this.#idle = null;
      idle?.wake();
    }
  }
}

refuseThen(LocalSet);

/**
 * Spawns `future` as a task of the LocalSet being driven (Tokio's
 * `task::spawn_local`): inside `runUntil`, a task of the set, or an
 * `enter()` guard. Throws outside one, as Tokio panics.
 */
export function spawnLocal<T>(future: IntoFuture<T> | (() => IntoFuture<T>), options?: { name?: string }): JoinHandle<T> {
  const set = current;
  if (set === null) throw new Error('`spawnLocal` called from outside of a `task::LocalSet` (spawn into one with local.spawnLocal, or call it inside local.runUntil)');
  return set.spawnLocal(future, options);
}
