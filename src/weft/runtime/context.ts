/**
 * The thread-local state of the runtime: which run and which thread this
 * worker is, and how to reach the supervisor (the page, or the CLI).
 *
 * weft never creates workers or posts messages itself: the runner installs a
 * `Host` when it starts a thread, so this library runs unchanged in a browser
 * worker and in a Node worker_thread (ARCHITECTURE.md, "Layers").
 */
import { H, type RunMemory } from './memory.ts';
import { runLocal } from './run-local.ts';

/**
 * A place in the reader's own source, 1-based line and column. The one
 * definition: the runner's events and protocol, the compile step's source
 * map and the page all use this type.
 */
export interface SourceLocation {
  line: number;
  column: number;
}

/** What a thread asks of whoever supervises the run. */
export interface Host {
  /** Start thread `threadId` running lifted closure `closureId` with captures stored at `captures`. */
  spawn(request: SpawnRequest): void;
  /** One console line of the reader's program. */
  output(stream: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string): void;
  /** A reader-visible error that did not end the run (a spawned thread's panic). */
  panic(report: PanicReport): void;
}

export interface SpawnRequest {
  threadId: number;
  closureId: number;
  capturesPtr: number;
  capturesLen: number;
  name: string | undefined;
  /** Scoped threads borrow their captures instead of owning them. */
  scoped: boolean;
}

export interface PanicReport {
  thread: string;
  name: string;
  message: string;
  location: SourceLocation | undefined;
  /** The async task that panicked (weft/task), when it was one: "task 3". */
  task?: string;
}

/** Something a thread owns and must give back when it ends (Rust's drop at thread exit). */
export interface Owned {
  /** `panicking` is true when the owner ends by panic (guards then poison their lock). */
  dropOnExit(panicking: boolean): void;
}

export interface ThreadContext {
  memory: RunMemory;
  threadId: number;
  name: string | undefined;
  host: Host;
  /** Maps a V8 stack to the reader's source (the runner knows the program's map). */
  locate(stack: string | undefined): SourceLocation | undefined;
  /** Handles this thread owns, dropped when it ends. Insertion-ordered. */
  owned: Set<Owned>;
  /**
   * The Mutex guards this thread holds, in the order taken (runtime/ownership.ts
   * holdGuard): kept apart from `owned`, as a stack, because lock/unlock is
   * the hottest path in weft and a guard is almost always released last in,
   * first out; the Set's add and delete and the garbage they made were about
   * a third of an uncontended lock's time (issue 15). Dropped, last first,
   * before `owned` when the thread ends.
   */
  guards: Owned[];
  /**
   * Whether the run has a seeded scheduler or a trace: fixed before any
   * thread starts, so a free, untraced run pays a field check per
   * synchronization point. `scheduled` is read once per thread by
   * `enterThread`; `traced` is set by whoever makes the context, from its
   * worker's own state, not run memory, which a program can write: whether
   * the worker was given the run's trace ring (trace.ts, "Integrity").
   */
  scheduled?: boolean;
  traced?: boolean;
  /** Under a seed: the atomic this thread last loaded (scheduler.ts, fault injection). */
  loadedAtomic?: number;
  /** Under a seed: how many Condvar waits this thread has begun (scheduler.ts, fault injection). */
  condvarWaits?: number;
  /** Under a seed: this thread's first recvTimeout that had to wait has run out (scheduler.ts, fault injection). */
  timedReceiveRanOut?: boolean;
}

let current: ThreadContext | undefined;
runLocal(() => (current = undefined));

export function enterThread(context: ThreadContext): void {
  context.scheduled = Atomics.load(context.memory.header, H.sched) !== 0;
  current = context;
}

export function context(): ThreadContext {
  if (current === undefined) {
    throw new Error('weft runs inside a program started by the weft runner (the book page, or `npm run weft -- run`)');
  }
  return current;
}

export function hasContext(): boolean {
  return current !== undefined;
}

/**
 * The name of an object's class as its source spells it, or undefined. The book's workers are minified with class
 * names kept, but where two of weft's classes share a name (weft/sync's Receiver and weft/task's) the bundler renames
 * the second `Receiver$4`: the suffix is the bundler's, so it goes (a reader's own class named `Point$2` would lose
 * its suffix too, in the book only).
 */
export function className(value: object): string | undefined {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name.replace(/\$\d+$/, '') : undefined;
}

/** `text` cut to `max` characters, saying how many were cut (a panic's message here, a console line in runner/output-ring.ts). */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} … (${text.length - max} more characters not shown)`;
}

/** Display name of a thread as output labels and messages show it. */
export function threadLabel(threadId: number, name: string | undefined): string {
  return name ?? `thread ${threadId}`;
}

/** Where the caller of a weft API is in the reader's source (skips weft's own frames). */
export function callerLocation(): SourceLocation | undefined {
  if (current === undefined) return undefined;
  return current.locate(new Error().stack);
}

/**
 * `callerLocation`, computed only if asked: the call site is captured now
 * (an Error, whose stack V8 formats lazily) and mapped to the reader's source
 * on the first call. Formatting and mapping a stack costs tens of
 * microseconds, too much for every `spawn` when only an error message needs it.
 */
export function lazyCallerLocation(): () => SourceLocation | undefined {
  const ctx = current;
  if (ctx === undefined) return () => undefined;
  const site = new Error();
  let located: { at: SourceLocation | undefined } | undefined;
  return () => (located ??= { at: ctx.locate(site.stack) }).at;
}
