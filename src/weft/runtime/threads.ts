/**
 * The life of one spawned thread: decode its captures, run its closure,
 * drop what it owns, publish its result or its panic, wake its joiner.
 * (Its slot in run memory is thread-table.ts.)
 */
import { locatingMs, pieceMicros, pieceStart, traceEvent } from './trace.ts';
import { context, cutText, enterThread, threadLabel, type PanicReport, type SourceLocation, type ThreadContext } from './context.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { H, type RunMemory } from './memory.ts';
import { dropTree } from './ownership.ts';
import { allocateThread, anotherThreadRunning, claimDetached, isDetached, releaseThread, S, slot, tableChanged, threadTableFullMessage, ThreadState } from './thread-table.ts';
import { RunStopped } from './stop.ts';
import { blockWhileEqual, wake } from './wait.ts';
import { awaitTurn, leaveSchedule, scheduled } from './scheduler.ts';


/** The panic as its joiner gets it: the report and, when it can be copied, the payload. */
function encodePanic(payload: PanicPayload, error: unknown): Uint8Array {
  const value = panicValue(error);
  if (value !== undefined) {
    try {
      return encodeValue({ ...payload, value }, { mode: 'borrow' });
    } catch {
      // A getter that throws, a value too deep: the report alone.
    }
  }
  return encodeValue(payload, { mode: 'borrow' });
}

/**
 * What a panic carries to its joiner besides its report (ThreadPanic.payload):
 * Rust's `Box<dyn Any>` payload. An Error's message (Rust's `panic!("...")`
 * payload is that string), or the value a `throw` threw when it is plain data
 * (Rust's `panic_any(value)`): a primitive, or arrays and plain objects of
 * them. Anything else (a class instance, a function, a weft handle) cannot
 * be copied to the joiner: undefined.
 */
function panicValue(error: unknown): unknown {
  if (error instanceof Error) {
    try {
      return String(error.message);
    } catch {
      return undefined;
    }
  }
  return isPlainData(error, 0) ? error : undefined;
}

function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > 32) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  try {
    return Object.values(value).every((item) => isPlainData(item, depth + 1));
  } catch {
    return false;
  }
}

/** A panic as it travels from a thread to its joiner. */
export interface PanicPayload {
  name: string;
  /** Only on the way to a joiner (encodePanic): what the thread panicked with, for ThreadPanic.payload. */
  value?: unknown;
  message: string;
  thread: string;
  location: SourceLocation | undefined;
}

/**
 * A panic's message is shown whole up to this many characters, under a console line's 5,000 (runner/output-ring.ts, which
 * would cut a thread's panic line again, thread name and all):
 * a 50 MB message (throw new Error("x".repeat(5e7))) took the CLI minutes to pass on and print. The value
 * itself is not cut: a joiner's ThreadPanic.payload and a catch in the program see all of it.
 */
const MAX_MESSAGE_CHARS = 4_000;
const MAX_NAME_CHARS = 200;

/** V8's TypeError for a write to something frozen or sealed: a run's built-ins are (runner/worker/lockdown.ts). */
const FROZEN_WRITE = /^Cannot (assign to read only property|add property|define property|redefine property)\b/;
const FROZEN_NOTE = " (if it is one of JavaScript's built-ins, such as Array.prototype, Atomics or Object.prototype: those are read-only while a program runs in this book, as weft relies on them)";
/** A read of `this` that was undefined: what a method called apart from its object fails with. */
const NO_THIS_READ = /^Cannot read (properties of undefined|private member )/;
const DETACHED_NOTE =
  ' (this failed inside weft, in a call made from this line: a weft method called apart from its object, ' +
  'as `const send = tx.send; send(1)` or `[1, 2].forEach(tx.send)` do, runs with no object to work on. ' +
  'Call it on its object, `tx.send(1)`, or pass a function that does: `[1, 2].forEach((x) => tx.send(x))`)';

/** The stack's first frame (`    at …`), or undefined when it has none. */
function topFrame(stack: string): string | undefined {
  for (const line of stack.split('\n')) if (/^\s+at /.test(line)) return line;
  return undefined;
}

/**
 * Where a panic was rethrown in another task: `await handle` rethrows the
 * task's own error (its stack names the task's line), and the awaiting task's
 * panic is reported at its `await`, as a thread's join() panics at the join.
 */
const rethrownAt = new WeakMap<object, SourceLocation>();

/** Marks `error`, about to be rethrown by `await handle`, as panicking at `at` from now on (task/spawn.ts). */
export function rethrowAt(error: unknown, at: SourceLocation | undefined): void {
  if (at !== undefined && typeof error === 'object' && error !== null) rethrownAt.set(error, at);
}

export function panicPayload(error: unknown, context: ThreadContext, depth = 0): PanicPayload {
  const unwound = depth < MAX_SUPPRESSED_DEPTH ? suppressedBy(error) : undefined;
  if (unwound !== undefined) {
    // A drop (a `using` disposer) that panicked while the thread unwound from a panic: JavaScript's SuppressedError,
    // whose own message ("An error was suppressed during disposal.") was all the reader saw, neither panic's. Rust
    // reports the first panic (and aborts on the second); the first is this panic, at its line, the drop's said after.
    const first = panicPayload(unwound.suppressed, context, depth + 1);
    const drop = panicPayload(unwound.error, context, depth + 1);
    const at = drop.location === undefined ? '' : ` at line ${drop.location.line}`;
    return { ...first, message: cutText(`${first.message} (and while it unwound, a drop panicked too${at}: ${drop.message})`, MAX_MESSAGE_CHARS) };
  }
  const payload = thrownPayload(error, context);
  const rethrown = typeof error === 'object' && error !== null ? rethrownAt.get(error) : undefined;
  return rethrown === undefined ? payload : { ...payload, location: rethrown };
}

/** SuppressedErrors inside SuppressedErrors read at most this deep (a program can make one that holds itself). */
const MAX_SUPPRESSED_DEPTH = 8;

/** A SuppressedError's two errors (runtime/unwind.ts): `error` the disposer threw while `suppressed` unwound. */
function suppressedBy(error: unknown): { error: unknown; suppressed: unknown } | undefined {
  return attempt(() => {
    if (!(error instanceof Error) || error.name !== 'SuppressedError' || !('suppressed' in error) || !('error' in error)) return undefined;
    return { error: error.error, suppressed: error.suppressed };
  }, undefined);
}

function thrownPayload(error: unknown, context: ThreadContext): PanicPayload {
  const thread = threadLabel(context.threadId, context.name);
  // Asked defensively too: `instanceof` and reading `toString` run a thrown Proxy's traps, and a trap that throws
  // made the panic the trap's error ("proto"), reported at the trap's line instead of the throw.
  const isError = attempt(() => error instanceof Error, false);
  if (isError) {
    const error_ = error as Error;
    // A name that cannot be read is still an Error's panic: 'Error', as its text would be the reading's failure.
    const name = describeThrown(() => error_.name, 'Error', 'Error');
    let message = describeThrown(() => error_.message, '');
    const stack = describeThrown(() => error_.stack, '', '');
    // Written to an object of the program's own that it froze, or to a built-in: the note says which may be why.
    if (name === 'TypeError' && FROZEN_WRITE.test(message)) message += FROZEN_NOTE;
    // Read inside weft (its first frame is not the program's), from a `this` that was undefined: a detached method.
    if (name === 'TypeError' && NO_THIS_READ.test(message)) {
      const top = topFrame(stack);
      if (top !== undefined && context.locate(top) === undefined) message += DETACHED_NOTE;
    }
    return { name: cutText(name, MAX_NAME_CHARS), message: cutText(message, MAX_MESSAGE_CHARS), thread, location: context.locate(stack || undefined) };
  }
  // A thrown string, number or object has no stack: where it was thrown is what `thrown` kept.
  const at = lastThrown !== undefined && lastThrown.value === error ? lastThrown.stack : undefined;
  // A plain object reads as its JSON ({"code":3}, where String() says [object Object]); anything with a toString of its own, by it.
  const plain = attempt(
    () => typeof error === 'object' && error !== null && !Array.isArray(error) && (error as { toString?: unknown }).toString === Object.prototype.toString,
    false,
  );
  const text = () => (plain ? (JSON.stringify(error) ?? String(error)) : String(error));
  return {
    name: 'Error',
    message: cutText(describeThrown(text, '(a thrown value that cannot be shown)'), MAX_MESSAGE_CHARS),
    thread,
    location: at === undefined ? undefined : context.locate(at),
  };
}

/** `read()`, or `otherwise` when reading throws (a Proxy's trap, a getter). */
function attempt<T>(read: () => T, otherwise: T): T {
  try {
    return read();
  } catch {
    return otherwise;
  }
}

/** The last value a `throw` threw that is not an Error, and the stack where it was thrown. */
let lastThrown: { value: unknown; stack: string | undefined } | undefined;

/**
 * `__weft.thrown(x)`: the compile step writes `throw __weft.thrown(x)` for
 * every `throw x`. An Error passes through untouched; anything else
 * (`throw "no"`, `throw { code: 3 }`) is kept with the stack of the throw,
 * so a panic it becomes names the reader's line, as Rust's panic! does. The
 * value thrown is `x` itself.
 */
export function thrown(value: unknown): unknown {
  let isError: boolean;
  try {
    isError = value instanceof Error;
  } catch (inner) {
    // A Proxy whose getPrototypeOf trap throws: not even weft and the runner, which ask `instanceof` of what a
    // program throws, can tell what it is (the run failed as "The runner failed: <the trap's error>"). A panic
    // that says so stands in for it, at this throw's line.
    return new Error(describeThrown(() => {
      throw inner;
    }, ''));
  }
  if (!isError) lastThrown = { value, stack: new Error().stack };
  return value;
}

/**
 * What a thrown value says, read defensively: a program may throw an object
 * whose `toString` (or `message` getter) itself throws, and that is the
 * program's panic, not a failure of weft.
 */
function describeThrown(read: () => unknown, empty: string, unreadable?: string): string {
  try {
    const value = read();
    return value === undefined ? empty : typeof value === 'string' ? value : String(value);
  } catch (inner) {
    if (unreadable !== undefined) return unreadable;
    let why: string;
    try {
      why = inner instanceof Error ? `${inner.name}: ${inner.message}` : typeof inner === 'string' ? inner : typeof inner;
    } catch {
      why = 'another error';
    }
    return `(a thrown value whose text could not be read: reading it threw ${why})`;
  }
}

/** Drops everything the current thread still owns (Rust: locals dropped at thread exit). */
export function dropOwned(context: ThreadContext, panicking: boolean): void {
  // Guards first, so the locks they hold are released (and poisoned) before
  // the senders disconnect and wake receivers that may take those locks.
  const owned = [...context.guards].reverse();
  for (const value of [...context.owned].reverse()) owned.push(value);
  context.guards.length = 0;
  context.owned.clear();
  for (const value of owned) {
    try {
      value.dropOnExit(panicking);
    } catch {
      // Dropping must not stop the others from being dropped.
    }
  }
}

export interface ThreadStart {
  threadId: number;
  name: string | undefined;
  capturesPtr: number;
  capturesLen: number;
  scoped: boolean;
  /** Builds the thread's closure from its decoded captures (the compiled program's lifted closure). */
  makeClosure(captures: Record<string, unknown>): () => unknown;
  /**
   * Called when the thread is over but before its joiner is woken: the
   * run's worker offers itself as idle for the next thread here, so a `join`
   * followed by a `spawn` finds it idle (the runner's idle-workers.ts).
   */
  beforeWake?(): void;
}

/**
 * Runs a spawned thread to its end inside the current worker. `context` is
 * this thread's context; the caller installs console capture beforehand.
 */
export async function runThread(ctx: ThreadContext, start: ThreadStart): Promise<'finished' | 'panicked' | 'stopped'> {
  enterThread(ctx);
  const { memory } = ctx;
  const i32 = memory.i32;
  let state: number;
  let result: Uint8Array;
  let began = -1;
  let ranMicros = -1;
  let located = 0;
  try {
    // Under a seed, a new thread starts only when the scheduler picks it.
    if (scheduled(memory)) awaitTurn(memory, start.threadId);
    let captures: Record<string, unknown> = {};
    if (start.capturesLen > 0) {
      captures = decodeValue(memory.read(start.capturesPtr, start.capturesLen), { owned: !start.scoped }) as Record<
        string,
        unknown
      >;
      memory.free(start.capturesPtr);
    }
    // How long the closure runs, in a traced free run only (-1 otherwise: nothing is timed, nothing is recorded).
    began = pieceStart();
    located = began < 0 ? 0 : locatingMs();
    let value = start.makeClosure(captures)();
    if (value instanceof Promise) value = await value;
    ranMicros = pieceMicros(began, located);
    // Detached (its JoinHandle dropped): nobody will join it, so what it returns is dropped here, with what it owns.
    result = isDetached(memory, start.threadId) ? new Uint8Array(0) : encodeValue(value, { mode: 'move', target: { into: 'the thread that joins it' } });
    dropOwned(ctx, false);
    state = ThreadState.finished;
  } catch (error) {
    if (error instanceof RunStopped) return 'stopped';
    if (ranMicros < 0) ranMicros = pieceMicros(began, located);
    const payload = panicPayload(error, ctx);
    ctx.host.panic(payload satisfies PanicReport);
    dropOwned(ctx, true);
    result = isDetached(memory, start.threadId) ? new Uint8Array(0) : encodePanic(payload, error);
    state = ThreadState.panicked;
  }
  if (result.length > 0) {
    i32[slot(start.threadId, S.resultPtr)] = memory.store(result);
    i32[slot(start.threadId, S.resultLen)] = result.length;
  }
  // The exit carries how long the closure ran, when it was timed: checks tell a thread that did its work from one that handed back a result worked out before it was spawned.
  traceEvent('exit', 0, began < 0 ? undefined : [1, ranMicros]);
  start.beforeWake?.();
  Atomics.store(i32, slot(start.threadId, S.state), state);
  wake(i32, slot(start.threadId, S.state));
  // Detached (its handle dropped, now or before): nobody will join it, so it lets go of its slot itself, unless the
  // drop, seeing it ended, does (thread-table.ts detachThread).
  if (isDetached(memory, start.threadId) && claimDetached(memory, start.threadId)) letGoOfThread(memory, start.threadId);
  Atomics.sub(i32, H.liveThreads, 1);
  // A spawn waiting for a place in the table looks again: it may now be the only thread running (takeThreadSlot).
  tableChanged(memory);
  leaveSchedule(memory, start.threadId);
  return state === ThreadState.finished ? 'finished' : 'panicked';
}

/**
 * Lets go of an ended thread nobody will join (detached): drops what it
 * returned, if it stored anything (a thread that was detached before it ended
 * stores nothing), and frees its slot for a new thread.
 */
export function letGoOfThread(memory: RunMemory, threadId: number): void {
  const i32 = memory.i32;
  const len = i32[slot(threadId, S.resultLen)]!;
  try {
    if (len > 0 && Atomics.load(i32, slot(threadId, S.state)) === ThreadState.finished) {
      dropTree(decodeValue(memory.read(i32[slot(threadId, S.resultPtr)]!, len), { owned: true }));
    }
  } finally {
    if (len > 0) memory.free(i32[slot(threadId, S.resultPtr)]!);
    releaseThread(memory, threadId);
  }
}

/**
 * A place in the thread table for a new thread (its id), waiting for one
 * when all are taken, as Rust's spawn never refuses for want of one: a loop
 * that spawns and drops handles faster than the threads finish waits here
 * until one ends. The wait is a blocking call like any other (the trace, the
 * seeded scheduler and the deadlock watchdog see it, as 'thread-slot'). It
 * panics at once when no other thread is running, since only a running
 * thread can end or join one that has ended; when every other one is blocked
 * for good, the watchdog reports the deadlock, naming this wait.
 */
export function takeThreadSlot(memory: RunMemory, name: string | undefined): number {
  const header = memory.header;
  for (;;) {
    // Read before the attempt: a place given back (or a thread ending) after it changes the word, so the wait returns at once.
    const changed = Atomics.load(header, H.slotsChanged);
    const threadId = allocateThread(memory, name);
    if (threadId !== 0) return threadId;
    const me = context().threadId;
    if (!anotherThreadRunning(memory.i32, me)) throw new Error(threadTableFullMessage(memory.i32));
    blockWhileEqual(header, H.slotsChanged, changed, Infinity, { kind: 'thread-slot', object: 0 });
  }
}

/** The current thread's id (1 is main). */
export function currentThreadId(): number {
  return context().threadId;
}
