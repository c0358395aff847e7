/**
 * weft/thread — Rust's `std::thread` on Web Workers.
 *
 * Rust: https://doc.rust-lang.org/std/thread/
 *
 * `spawn` takes a closure that the compile step has *lifted* (given an id and
 * a list of captured variables, ARCHITECTURE.md "Closures move into
 * threads"). The captures are encoded into run memory, moved out of the
 * spawner, and the closure starts on one of the run's idle workers. The
 * spawner never waits for that: `spawn` returns at once, as in Rust.
 *
 * Blocking (`join`, `sleep`, `park`) is Atomics.wait on the thread's slot in
 * run memory; a panic is any error the closure throws, published in the
 * slot and rethrown by `join` as a ThreadPanic.
 */
import { traceEvent, traceValue } from './runtime/trace.ts';
import { context, lazyCallerLocation, threadLabel, type SourceLocation } from './runtime/context.ts';
import { decodeValue, encodeCaptures } from './runtime/codec.ts';
import { ENCODE, HandleKind, MOVE, MovableHandle, registerDecoder, type Encodable } from './runtime/handle.ts';
import { NotSendError } from './runtime/codec.ts';
import { liftedClosure } from './runtime/lift.ts';
import { allocateThread, releaseThread, slot, S, threadName, ThreadState } from './runtime/thread-table.ts';
import type { PanicPayload } from './runtime/threads.ts';
import { blockWhileEqual, wake } from './runtime/wait.ts';
import { assignPriority, now, readPoint, yieldPoint } from './runtime/scheduler.ts';
import { markErrValue } from './runtime/unwind.ts';

/** A thread's panic, rethrown by `join()` (Rust: `join()` returns `Err(payload)`). */
export class ThreadPanic extends Error {
  /** The name of the thread that panicked ("worker-1", or "thread 3" when unnamed). */
  readonly thread: string;
  /** Where it panicked, in the reader's source. */
  readonly location: SourceLocation | undefined;
  /** The name of the original error (`Error`, `TypeError`, `PoisonError`...). */
  readonly cause: string;

  constructor(payload: PanicPayload) {
    super(payload.message);
    this.name = 'ThreadPanic';
    this.thread = payload.thread;
    this.location = payload.location;
    this.cause = payload.name;
  }
}

/**
 * A thread's identity: Rust's `Thread`. It crosses into other threads (a
 * spawned closure may capture its parent's `current()` and `unpark` it),
 * and it is copied rather than moved: it is only the thread's id, so the
 * spawner keeps its own (Rust would have you `clone()` it first).
 */
export class Thread implements Encodable {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
  [ENCODE]() {
    return { kind: HandleKind.Thread, addr: this.id };
  }
  /** Copied, not moved: the sender's Thread stays usable. */
  [MOVE](): void {}
  /** The thread's name: "main" for main, the builder's name, or undefined. */
  name(): string | undefined {
    if (this.id === 1) return 'main';
    return threadName(context().memory, this.id);
  }
  /** Wakes the thread if it is parked, or makes its next `park()` return at once. */
  unpark(): void {
    const i32 = context().memory.i32;
    Atomics.store(i32, slot(this.id, S.park), 1);
    wake(i32, slot(this.id, S.park));
    yieldPoint();
  }
  toString(): string {
    return threadLabel(this.id, this.name());
  }
}

/** An owned permission to join a thread (Rust: `JoinHandle<T>`). Dropping it detaches the thread. */
export class JoinHandle<T> extends MovableHandle {
  protected readonly what = 'JoinHandle';
  readonly #threadId: number;
  #joined = false;

  constructor(threadId: number) {
    super();
    this.#threadId = threadId;
  }

  [ENCODE]() {
    return { kind: HandleKind.JoinHandle, addr: this.#threadId };
  }

  /**
   * Waits for the thread to end and returns its closure's value; if the
   * thread panicked, throws a ThreadPanic with its message, name and line.
   */
  join(): T {
    this.assertUsable();
    if (this.#joined) throw new Error('this thread was already joined (a JoinHandle joins once, as join(self) does in Rust)');
    this.#joined = true;
    yieldPoint();
    const { memory } = context();
    const i32 = memory.i32;
    const stateIndex = slot(this.#threadId, S.state);
    while (Atomics.load(i32, stateIndex) === ThreadState.running) {
      blockWhileEqual(i32, stateIndex, ThreadState.running, Infinity, { kind: 'join', object: this.#threadId });
    }
    const state = Atomics.load(i32, stateIndex);
    const ptr = i32[slot(this.#threadId, S.resultPtr)]!;
    const len = i32[slot(this.#threadId, S.resultLen)]!;
    const value = len > 0 ? decodeValue(memory.read(ptr, len), { owned: true }) : undefined;
    if (len > 0) memory.free(ptr);
    // With what the thread returned, when it is a number: a check can tell a result that came through join.
    traceValue('join', this.#threadId, state === ThreadState.panicked ? undefined : value);
    // Joined: its slot may take a new thread (thread-table.ts, THREAD_SLOTS).
    releaseThread(memory, this.#threadId);
    if (state === ThreadState.panicked) throw new ThreadPanic(value as PanicPayload);
    return value as T;
  }

  /** true once the thread's closure has returned or panicked. */
  isFinished(): boolean {
    this.assertUsable();
    if (this.#joined) return true;
    readPoint();
    return Atomics.load(context().memory.i32, slot(this.#threadId, S.state)) !== ThreadState.running;
  }

  /** The thread this handle joins. */
  thread(): Thread {
    this.assertUsable();
    return new Thread(this.#threadId);
  }
}

registerDecoder(HandleKind.JoinHandle, (addr) => new JoinHandle(addr));

function spawnWith<T>(f: () => T, name: string | undefined, scoped: boolean): JoinHandle<Awaited<T>> {
  const ctx = context();
  const lifted = liftedClosure(f, 'spawn');
  const location = lazyCallerLocation();
  const threadId = allocateThread(ctx.memory, name);
  assignPriority(ctx.memory, threadId);
  traceEvent('spawn', threadId);
  const label = threadLabel(threadId, name);
  const captures = encodeCaptures(lifted.captures(), {
    mode: scoped ? 'borrow' : 'move',
    target: {
      into: name === undefined ? label : `thread '${label}'`,
      get location() {
        return location();
      },
    },
  });
  ctx.host.spawn({
    threadId,
    closureId: lifted.id,
    capturesPtr: captures.length > 0 ? ctx.memory.store(captures) : 0,
    capturesLen: captures.length,
    name,
    scoped,
  });
  const handle = new JoinHandle<Awaited<T>>(threadId);
  yieldPoint(); // the new thread may run first
  return handle;
}

/**
 * Spawns a new thread running `f` and returns its JoinHandle. Variables `f`
 * captures are moved into the thread: plain data is copied, weft handles
 * change owner (clone them first to share).
 */
export function spawn<T>(f: () => T): JoinHandle<Awaited<T>> {
  return spawnWith(f, undefined, false);
}

/** Rust's `thread::Builder`: configure a thread before spawning it. */
export class Builder {
  #name: string | undefined;
  /** Names the thread; output lines and panic messages show the name. */
  name(name: string): Builder {
    this.#name = String(name);
    return this;
  }
  /** Accepted for Rust familiarity; a worker's stack size is the browser's to choose. */
  stackSize(_bytes: number): Builder {
    return this;
  }
  spawn<T>(f: () => T): JoinHandle<Awaited<T>> {
    return spawnWith(f, this.#name, false);
  }
}

/** `thread::Builder::new()`. */
export function builder(): Builder {
  return new Builder();
}

/** The thread running this code. */
export function current(): Thread {
  return new Thread(context().threadId);
}

/** Blocks the current thread for at least `ms` milliseconds. */
export function sleep(ms: number): void {
  const { memory, threadId } = context();
  const index = slot(threadId, S.sleep);
  const deadline = now(memory) + Math.max(0, ms);
  for (;;) {
    const remaining = deadline - now(memory);
    if (remaining <= 0) return;
    blockWhileEqual(memory.i32, index, 0, remaining, { kind: 'sleep', object: 0 });
  }
}

/** A hint that other threads may run now; a switch point for the seeded scheduler. */
export function yieldNow(): void {
  yieldPoint();
}

/** Blocks until this thread's token is made available by `unpark` (may wake spuriously, as in Rust). */
export function park(): void {
  const { memory, threadId } = context();
  const i32 = memory.i32;
  const index = slot(threadId, S.park);
  if (Atomics.exchange(i32, index, 0) === 1) return;
  blockWhileEqual(i32, index, 0, Infinity, { kind: 'park', object: threadId });
  Atomics.store(i32, index, 0);
}

/** Like `park`, giving up after `ms` milliseconds. */
export function parkTimeout(ms: number): void {
  const { memory, threadId } = context();
  const i32 = memory.i32;
  const index = slot(threadId, S.park);
  if (Atomics.exchange(i32, index, 0) === 1) return;
  blockWhileEqual(i32, index, 0, ms, { kind: 'park', object: threadId });
  Atomics.store(i32, index, 0);
}

/** How many threads can run in parallel on this machine. */
export function availableParallelism(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** A scope whose threads borrow (Rust: `thread::Scope`). */
export class Scope {
  readonly #handles: JoinHandle<unknown>[] = [];
  /**
   * Taken into another thread (a scoped thread's closure that captures `s`):
   * Rust allows it (a Scope is `Sync`, so a scoped thread may spawn more
   * into the same scope); weft keeps a scope's threads in the thread that
   * opened it, so it refuses, saying what to write instead.
   */
  [ENCODE](): never {
    throw new NotSendError(
      'a Scope stays in the thread that opened it: weft cannot let a scoped thread spawn into the same scope (Rust can: its Scope is `Sync`). ' +
        'Spawn every scoped thread from the closure given to scope(), or open a scope of its own inside the thread: scope((inner) => inner.spawn(…))',
    );
  }
  /** Spawns a scoped thread: it borrows the handles it captures instead of taking them. */
  spawn<T>(f: () => T): JoinHandle<Awaited<T>> {
    const handle = spawnWith(f, undefined, true);
    this.#handles.push(handle as JoinHandle<unknown>);
    return handle;
  }
  /** @internal joins every thread not joined yet; returns the first panic. */
  joinAll(): ThreadPanic | undefined {
    let first: ThreadPanic | undefined;
    for (const handle of this.#handles) {
      try {
        handle.join();
      } catch (error) {
        if (error instanceof ThreadPanic) first ??= error;
        else if (!(error instanceof Error && error.message.startsWith('this thread was already joined'))) throw error;
      }
    }
    return first;
  }
}

/**
 * Runs `f` with a Scope; every thread spawned in it is joined before
 * `scope` returns, so they may borrow the caller's handles. If any of them
 * panicked, `scope` rethrows the first panic after joining all (as Rust does).
 */
export function scope<T>(f: (s: Scope) => T): T {
  const s = new Scope();
  let result: T;
  try {
    result = f(s);
  } finally {
    const panic = s.joinAll();
    if (panic !== undefined) throw panic;
  }
  return result;
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(ThreadPanic);

registerDecoder(HandleKind.Thread, (id) => new Thread(id));
