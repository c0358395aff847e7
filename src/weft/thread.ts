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
import { liftedClosure } from './runtime/lift.ts';
import { detachThread, releaseThread, slot, S, threadName, ThreadState } from './runtime/thread-table.ts';
import { letGoOfThread, takeThreadSlot, type PanicPayload } from './runtime/threads.ts';
import { blockWhileEqual, wake } from './runtime/wait.ts';
import { lockWord, unlockWord } from './runtime/futex-lock.ts';
import { assignPriority, now, readPoint, yieldPoint, YIELD_HINT } from './runtime/scheduler.ts';
import { markErrValue } from './runtime/unwind.ts';

/** A thread's panic, rethrown by `join()` (Rust: `join()` returns `Err(payload)`). */
export class ThreadPanic extends Error {
  /** The name of the thread that panicked ("worker-1", or "thread 3" when unnamed). */
  readonly thread: string;
  /** Where it panicked, in the reader's source. */
  readonly location: SourceLocation | undefined;
  /** The name of the original error (`Error`, `TypeError`, `PoisonError`...). */
  readonly cause: string;
  /**
   * What the thread panicked with (Rust: the `Box<dyn Any>` that `join`
   * returns in `Err`, read with `downcast`): an Error's message, as Rust's
   * `panic!("...")` payload is its string, or the value itself when the
   * thread threw plain data (`throw 413`, `throw { code: 3 }`: Rust's
   * `panic_any`). Undefined when what was thrown cannot be copied to this
   * thread (a class instance, a function, a weft handle).
   */
  readonly payload: unknown;

  constructor(payload: PanicPayload) {
    super(payload.message);
    this.name = 'ThreadPanic';
    this.thread = payload.thread;
    this.location = payload.location;
    this.cause = payload.name;
    this.payload = payload.value;
  }
}

/**
 * A thread's unique identifier: Rust's `ThreadId`, what `current().id()`
 * and `handle.thread().id()` give. As in Rust it is unique for the whole
 * run (never reused, even once its thread has ended), it compares with `===`
 * (Rust's `==`: one object per id on each thread, also when it came from
 * another thread through a channel, a join or a lock) and works as a `Set`
 * or `Map` key (Rust's `Hash`). It prints as Rust's `{:?}` does:
 * `ThreadId(1)` for main.
 */
export class ThreadId implements Encodable {
  static readonly #interned = new Map<number, ThreadId>();
  readonly #id: number;
  private constructor(id: number) {
    this.#id = id;
  }
  /** @internal The one ThreadId of thread `id` on this thread. */
  static of(id: number): ThreadId {
    const found = ThreadId.#interned.get(id);
    if (found !== undefined) return found;
    const made = new ThreadId(id);
    // Frozen: the one object per id outlives the run in a reused worker, so nothing a program adds to it may reach the next run.
    Object.freeze(made);
    ThreadId.#interned.set(id, made);
    return made;
  }
  /**
   * The id as a number, 1 for main (Rust's `ThreadId::as_u64`, unstable
   * there: `thread_id_value`).
   */
  asU64(): number {
    return this.#id;
  }
  [ENCODE]() {
    return { kind: HandleKind.ThreadId, addr: this.#id };
  }
  /** Copied, not moved (Rust's ThreadId is `Copy`). */
  [MOVE](): void {}
  /** Rust's Debug: `ThreadId(2)`. */
  toString(): string {
    return `ThreadId(${this.#id})`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/**
 * A thread's handle: Rust's `Thread`. It crosses into other threads (a
 * spawned closure may capture its parent's `current()` and `unpark` it),
 * and it is copied rather than moved: it is only the thread's id, so the
 * spawner keeps its own (Rust would have you `clone()` it first).
 */
export class Thread implements Encodable {
  readonly #id: number;
  constructor(id: number) {
    this.#id = id;
  }
  /** The thread's unique identifier (Rust's `Thread::id`): compare two with `===`. */
  id(): ThreadId {
    return ThreadId.of(this.#id);
  }
  /** @internal The thread's number, for weft's own bookkeeping. */
  get threadNumber(): number {
    return this.#id;
  }
  [ENCODE]() {
    return { kind: HandleKind.Thread, addr: this.#id };
  }
  /** Copied, not moved: the sender's Thread stays usable. */
  [MOVE](): void {}
  /** The thread's name: "main" for main, the builder's name, or undefined. */
  name(): string | undefined {
    if (this.#id === 1) return 'main';
    return threadName(context().memory, this.#id);
  }
  /** Wakes the thread if it is parked, or makes its next `park()` return at once. */
  unpark(): void {
    const i32 = context().memory.i32;
    Atomics.store(i32, slot(this.#id, S.park), 1);
    wake(i32, slot(this.#id, S.park));
    traceEvent('unpark', this.#id);
    yieldPoint();
  }
  toString(): string {
    return threadLabel(this.#id, this.name());
  }
}

/** An owned permission to join a thread (Rust: `JoinHandle<T>`). Dropping it detaches the thread. */
/**
 * join() of a scoped thread's handle after its scope joined it: one that left the scope (returned from `scope`'s
 * closure) said "a JoinHandle joins once, as join(self) does", as if the program had joined it twice.
 */
const SCOPE_JOINED =
  'this thread was already joined: its scope joined it when the scope ended (in Rust a scoped JoinHandle cannot outlive its scope; take the value from scope() instead)';

export class JoinHandle<T> extends MovableHandle implements Disposable {
  protected readonly what = 'JoinHandle';
  readonly #threadId: number;
  #joined = false;
  /** Joined by its scope as the scope ended (joinForScope), not by the program. */
  #joinedByScope = false;
  #dropped = false;

  constructor(threadId: number) {
    super();
    this.#threadId = threadId;
  }

  [ENCODE]() {
    return { kind: HandleKind.JoinHandle, addr: this.#threadId };
  }

  /** Rust's Debug for a JoinHandle: `JoinHandle { .. }`. */
  toString(): string {
    return 'JoinHandle { .. }';
  }

  protected override assertUsable(): void {
    super.assertUsable();
    if (this.#dropped) {
      throw new Error('use of dropped value: this JoinHandle was dropped, which detached its thread (as in Rust): it can no longer be joined');
    }
  }

  /**
   * Gives up the right to join: the thread runs on, detached, as when Rust
   * drops a JoinHandle, and once it ends what it returned is dropped and its
   * place goes to a later spawn. A thread whose handle is neither joined nor
   * dropped keeps its place until the run ends: a loop that spawns threads it
   * never joins drops each handle (`drop(spawn(...))`): once 1,023 are kept,
   * its next spawn waits for a place no thread will give back (a panic, or a
   * deadlock report, runtime/threads.ts takeThreadSlot).
   * A scoped thread's handle changes nothing: its scope still joins it.
   */
  drop(): void {
    if (this.#joined || this.#dropped || this.isMoved) return;
    this.#dropped = true;
    const { memory } = context();
    // It had ended: what it returned is dropped now, as a join would have taken it, and its slot let go.
    if (detachThread(memory, this.#threadId) === 'ended') letGoOfThread(memory, this.#threadId);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  /**
   * Waits for the thread to end and returns its closure's value; if the
   * thread panicked, throws a ThreadPanic with its message, name and line.
   */
  join(): T {
    this.assertUsable();
    if (this.#joined) throw new Error(this.#joinedByScope ? SCOPE_JOINED : 'this thread was already joined (a JoinHandle joins once, as join(self) does in Rust)');
    // Its own handle, sent to it: the wait could never end (it was reported only once every thread was blocked).
    const ctx = context();
    if (this.#threadId === ctx.threadId) {
      throw new Error(
        `${threadLabel(ctx.threadId, ctx.name)} tried to join itself, and would wait for its own end for ever (Rust's join() fails here with "Resource deadlock avoided")`,
      );
    }
    this.#joined = true;
    yieldPoint();
    // Claimed in its slot too: the scope that spawned it may join it from another thread (Scope.joinAll).
    if (!claimJoin(this.#threadId)) throw new Error(SCOPE_JOINED);
    return joinThread(this.#threadId) as T;
  }

  /** @internal Scope.joinAll: joins through this handle unless it was joined already; whether it joined. */
  joinForScope(): { value: unknown } | undefined {
    if (this.#joined) return undefined;
    this.#joined = true;
    this.#joinedByScope = true;
    yieldPoint(); // as join() does: under a seed, the same scheduling points as before scopes were shared
    if (!claimJoin(this.#threadId)) return undefined;
    return { value: joinThread(this.#threadId) };
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
  const threadId = takeThreadSlot(ctx.memory, name);
  if (scoped) ctx.memory.i32[slot(threadId, S.scoped)] = 1; // before the spawn message that publishes the thread
  assignPriority(ctx.memory, threadId);
  traceEvent('spawn', threadId);
  const label = threadLabel(threadId, name);
  // A Scope among a scoped thread's captures is lent to it, not let out of its scope (Scope[ENCODE]).
  lendingToScopedThread = scoped;
  let captures: Uint8Array;
  try {
    captures = encodeCaptures(lifted.captures(), {
      mode: scoped ? 'borrow' : 'move',
      target: {
        into: name === undefined ? label : `thread '${label}'`,
        get location() {
          return location();
        },
      },
    });
  } catch (error) {
    // Nothing can start: give the place back, or a seeded run's scheduler would wait for a thread that never runs.
    releaseThread(ctx.memory, threadId);
    throw error;
  } finally {
    lendingToScopedThread = false;
  }
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
    return spawnWith(f, this.#checkedName(), false);
  }
  /** Spawns a named scoped thread into `scope` (Rust's `Builder::spawn_scoped`): it borrows what it captures, as `s.spawn` does. */
  spawnScoped<T>(scope: Scope, f: () => T): JoinHandle<Awaited<T>> {
    if (!(scope instanceof Scope)) throw new TypeError('spawnScoped takes the scope first: builder.spawnScoped(s, () => …), inside scope((s) => …)');
    return scope.spawnNamed(f, this.#checkedName());
  }
  /** Rust's `Thread::new` refuses a name with a NUL in it (it becomes a C string). */
  #checkedName(): string | undefined {
    if (this.#name?.includes('\0')) throw new Error('thread name may not contain interior null bytes');
    return this.#name;
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
  yieldPoint(YIELD_HINT);
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
/**
 * Claims the right to join thread `threadId` (its slot's `joined` word), so
 * two threads never both take its result; false when another join has it,
 * or the slot holds a newer thread (this one was joined and let go).
 */
function claimJoin(threadId: number): boolean {
  const i32 = context().memory.i32;
  if (Atomics.load(i32, slot(threadId, S.id)) !== threadId) return false;
  return Atomics.compareExchange(i32, slot(threadId, S.joined), 0, 1) === 0;
}

/**
 * @internal Waits, without joining, until thread `threadId` has ended (its result stays for a join): Tokio's
 * runtime waiting for its spawn_blocking threads as it shuts down (task/blocking.ts). Returns at once if the
 * thread's place was already given to another.
 */
export function waitForThreadEnd(threadId: number): void {
  const i32 = context().memory.i32;
  const stateIndex = slot(threadId, S.state);
  while (Atomics.load(i32, slot(threadId, S.id)) === threadId && Atomics.load(i32, stateIndex) === ThreadState.running) {
    blockWhileEqual(i32, stateIndex, ThreadState.running, Infinity, { kind: 'join', object: threadId });
  }
}

/** Waits for thread `threadId` to end and takes its result; a panic is thrown as ThreadPanic. */
function joinThread(threadId: number): unknown {
  const { memory } = context();
  const i32 = memory.i32;
  const stateIndex = slot(threadId, S.state);
  while (Atomics.load(i32, stateIndex) === ThreadState.running) {
    blockWhileEqual(i32, stateIndex, ThreadState.running, Infinity, { kind: 'join', object: threadId });
  }
  const state = Atomics.load(i32, stateIndex);
  const ptr = i32[slot(threadId, S.resultPtr)]!;
  const len = i32[slot(threadId, S.resultLen)]!;
  const value = len > 0 ? decodeValue(memory.read(ptr, len), { owned: true }) : undefined;
  if (len > 0) memory.free(ptr);
  // With what the thread returned, when it is a number: a check can tell a result that came through join.
  traceValue('join', threadId, state === ThreadState.panicked ? undefined : value);
  // Joined: its slot may take a new thread (thread-table.ts, THREAD_SLOTS).
  releaseThread(memory, threadId);
  if (state === ThreadState.panicked) throw new ThreadPanic(value as PanicPayload);
  return value;
}

/**
 * A scope's record in run memory: the ids of the threads spawned in it, from any of its threads. `escaped`: the
 * Scope was encoded other than as a scoped thread's capture (sent on a channel, put in a lock or an Arc), so a
 * handle to it may outlive the scope: the record is then kept, for that handle's spawn to read `ended` from.
 * Otherwise `scope()` frees it as it returns (it was kept for good once: 32 bytes a scope).
 */
const SW = { lock: 0, count: 1, capacity: 2, list: 3, ended: 4, escaped: 5 } as const;
const SCOPE_WORDS = 6;

/** Set while a scoped thread's captures are encoded: a Scope among them is lent within its scope. */
let lendingToScopedThread = false;

export class Scope {
  /** The record (SW) shared by every thread that has this scope. */
  readonly #addr: number;
  /** The thread that opened it (only it joins at the end), or a scoped thread it was lent to. */
  readonly #opener: boolean;
  /** The opener's own handles, by thread id: joined through them, so a later `join()` on one says it was joined. */
  readonly #handles = new Map<number, JoinHandle<unknown>>();
  /** The opener's: the scope has ended (its record may be freed: this says so without reading it). */
  #ended = false;

  /** @internal `scope()` opens one; a scoped thread gets the same scope from its captures. */
  constructor(addr?: number) {
    this.#opener = addr === undefined;
    this.#addr = addr ?? context().memory.allocRecord(SCOPE_WORDS);
  }

  /**
   * Spawns a scoped thread: it borrows the handles it captures instead of
   * taking them. A scoped thread may spawn more into the same scope (Rust's
   * Scope is `Sync`): every one is joined before `scope` returns.
   */
  spawn<T>(f: () => T): JoinHandle<Awaited<T>> {
    return this.spawnNamed(f, undefined);
  }

  /** @internal `spawn`, with a name (Builder.spawnScoped). */
  spawnNamed<T>(f: () => T, name: string | undefined): JoinHandle<Awaited<T>> {
    const i32 = context().memory.i32;
    if (this.#ended || Atomics.load(i32, (this.#addr >> 2) + SW.ended) !== 0) {
      throw new Error('this scope has ended: its threads were all joined when scope() returned, and it takes no more');
    }
    const handle = spawnWith(f, name, true);
    const threadId = handle.thread().threadNumber;
    this.#record(threadId);
    if (this.#opener) this.#handles.set(threadId, handle as JoinHandle<unknown>);
    return handle;
  }

  /** Appends a spawned thread's id to the shared list (grown by doubling). */
  #record(threadId: number): void {
    const memory = context().memory;
    const i32 = memory.i32;
    const base = this.#addr >> 2;
    lockWord(i32, base + SW.lock);
    try {
      const count = i32[base + SW.count]!;
      let capacity = i32[base + SW.capacity]!;
      let list = i32[base + SW.list]!;
      if (count === capacity) {
        capacity = Math.max(8, capacity * 2);
        const grown = memory.alloc(capacity * 4);
        if (list !== 0) {
          memory.u8.copyWithin(grown, list, list + count * 4);
          memory.free(list);
        }
        list = grown;
        i32[base + SW.list] = list;
        i32[base + SW.capacity] = capacity;
      }
      i32[(list >> 2) + count] = threadId;
      i32[base + SW.count] = count + 1;
    } finally {
      unlockWord(i32, base + SW.lock);
    }
  }

  /** The id of the `i`-th thread spawned in the scope, or 0 past the last. */
  #spawned(i: number): number {
    const i32 = context().memory.i32;
    const base = this.#addr >> 2;
    lockWord(i32, base + SW.lock);
    try {
      return i < i32[base + SW.count]! ? i32[(i32[base + SW.list]! >> 2) + i]! : 0;
    } finally {
      unlockWord(i32, base + SW.lock);
    }
  }

  /**
   * @internal joins every thread spawned in the scope and not joined yet, in
   * the order they were spawned (so a thread is joined before those it
   * spawned, which it can no longer join itself); returns the first panic.
   */
  joinAll(): ThreadPanic | undefined {
    let first: ThreadPanic | undefined;
    for (let i = 0; ; i++) {
      const threadId = this.#spawned(i);
      if (threadId === 0) break;
      try {
        const own = this.#handles.get(threadId);
        if (own !== undefined) own.joinForScope();
        else if (claimJoin(threadId)) {
          yieldPoint();
          joinThread(threadId);
        }
      } catch (error) {
        if (error instanceof ThreadPanic) first ??= error;
        else throw error;
      }
    }
    const memory = context().memory;
    const base = this.#addr >> 2;
    Atomics.store(memory.i32, base + SW.ended, 1);
    const list = memory.i32[base + SW.list]!;
    if (list !== 0) memory.free(list);
    memory.i32[base + SW.list] = 0;
    return first;
  }

  /**
   * @internal `scope()` returning: every thread of the scope is joined, so only a handle that left it (SW.escaped)
   * can still reach the record; without one, the record is freed.
   */
  close(): void {
    this.#ended = true;
    const memory = context().memory;
    if (Atomics.load(memory.i32, (this.#addr >> 2) + SW.escaped) === 0) memory.free(this.#addr);
  }

  /** A scoped thread that captures the scope gets it too, to spawn into it (Rust: `Scope` is `Sync`). */
  [ENCODE]() {
    if (this.#ended) throw new Error('this scope has ended: its threads were all joined when scope() returned, and it takes no more');
    if (!lendingToScopedThread) Atomics.store(context().memory.i32, (this.#addr >> 2) + SW.escaped, 1);
    return { kind: HandleKind.Scope, addr: this.#addr };
  }
  [MOVE](): void {}
}


/**
 * Runs `f` with a Scope; every thread spawned in it is joined before
 * `scope` returns, so they may borrow the caller's handles. As in Rust,
 * once all are joined: if `f` itself panicked, its panic goes on; else if a
 * thread that was not joined by hand panicked, `scope` panics with "a
 * scoped thread panicked", followed here by the first such thread's own
 * message (the ThreadPanic names that thread and its line).
 */
export function scope<T>(f: (s: Scope) => T): T {
  const s = new Scope();
  let result: T;
  try {
    result = f(s);
  } catch (error) {
    // Rust's `scope` catches f's panic, joins every thread, then resumes f's panic, whatever the threads did.
    s.joinAll();
    s.close();
    throw error;
  }
  const panic = s.joinAll();
  s.close();
  if (panic !== undefined) throw scopedPanic(panic);
  return result;
}

/** Rust's `scope` panics with its own message, "a scoped thread panicked"; weft adds the thread's own. */
function scopedPanic(panic: ThreadPanic): ThreadPanic {
  return new ThreadPanic({ name: panic.cause, message: `a scoped thread panicked: ${panic.message}`, thread: panic.thread, location: panic.location, value: panic.payload });
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(ThreadPanic);

registerDecoder(HandleKind.Thread, (id) => new Thread(id));
registerDecoder(HandleKind.ThreadId, (id) => ThreadId.of(id));
registerDecoder(HandleKind.Scope, (addr) => new Scope(addr));
