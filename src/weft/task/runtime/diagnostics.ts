/**
 * What the executor tells the reader about their tasks: the hang report, a
 * spawned task's panic, the "blocking the executor" lesson, and a lock guard
 * held across an await. (Tokio leaves most of this to tokio-console and to
 * its docs; a reader of this book should see it where it happens.)
 *
 * - Hang: every task waits and nothing can ever wake one (no timer, no
 *   spawnBlocking thread, no Promise, no other thread that may abort a task):
 *   no task will run again, so the run stops with each task and its await
 *   (TaskHang, thrown by the executor's loop, scheduler.ts `drive`).
 * - Panic: a spawned task's panic is shown as it happens, as Tokio's panic
 *   hook prints it, whether or not anyone joins the task.
 * - Blocking: a blocking weft call (a weft/sync lock, a thread's join, a
 *   thread sleep…) inside a task stops every task of the thread; said once
 *   per line, naming the call (`BLOCKING_CALLS`).
 * - Held across await: in traced runs, a task that awaits while holding a
 *   weft/sync lock guard is recorded, for exercise checks.
 */
import { callerLocation, context, hasContext, threadLabel } from '../../runtime/context.ts';
import { panicPayload } from '../../runtime/threads.ts';
import { blockingObserver, type WaitKind } from '../../runtime/wait.ts';
import { traceTaskEvent, tracing } from '../../runtime/trace.ts';
import { MutexGuard } from '../../sync/mutex.ts';
import { RwLockReadGuard, RwLockWriteGuard } from '../../sync/rwlock.ts';
import { runningTask, whereAwaiting, type Task } from './task.ts';
import type { WaitsOn } from '../future.ts';

/** What the run reports when every task waits and nothing can wake one. */
export class TaskHang extends Error {
  readonly tasks: { task: string; line: number; column: number; what: string; on?: WaitsOn }[];
  constructor(summary: string, tasks: { task: string; line: number; column: number; what: string; on?: WaitsOn }[]) {
    super(summary);
    this.name = 'Deadlock';
    this.tasks = tasks;
  }
}

/** The report of a hang: `tasks` (the live ones, oldest first), each with the line it awaits at and what it waits for. */
export function hangReport(tasks: Task[]): TaskHang {
  const awaiting = tasks.map((task) => ({ task: task.label(), ...task.whereAwaiting() }));
  const list = awaiting.map((t) => `${t.task}${t.line > 0 ? ` (line ${t.line})` : ''} awaits ${t.what}`).join('; ');
  return new TaskHang(`Deadlock: every task is waiting and nothing can wake one (no timer, no I/O, no blocking thread): ${list}.`, awaiting);
}

const resumed = new WeakSet<object>();

/** `error`, a task's panic, goes on unwinding in another task without being shown again (Rust's `std::panic::resume_unwind`). */
export function resumeUnwind(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) resumed.add(error);
  return error;
}

/** A spawned task's panic, shown as it happens (Tokio's panic hook prints it whether or not anyone joins the task). */
export function reportPanic(task: Task, error: unknown): void {
  if (!hasContext()) return;
  // Rethrown by JoinSet.joinAll (Tokio's resume_unwind, which skips the panic hook): shown once, by the task that panicked.
  if (typeof error === 'object' && error !== null && resumed.has(error)) return;
  const ctx = context();
  const payload = panicPayload(error, ctx);
  ctx.host.panic({
    thread: threadLabel(ctx.threadId, ctx.name),
    name: payload.name,
    message: payload.message,
    location: payload.location,
    task: task.label(),
  });
}

const BLOCKING_CALLS: Partial<Record<WaitKind, string>> = {
  mutex: "weft/sync's Mutex.lock",
  'rwlock-read': "weft/sync's RwLock.read",
  'rwlock-write': "weft/sync's RwLock.write",
  condvar: 'Condvar.wait',
  barrier: 'Barrier.wait',
  once: 'Once.callOnce',
  'channel-recv': "a blocking recv on weft/sync's mpsc channel",
  'channel-send': "a blocking send on weft/sync's mpsc channel",
  join: "a thread's JoinHandle.join",
  park: 'thread.park',
  sleep: "weft/thread's sleep",
};

/**
 * While a runtime runs (from blockOn or runMain until it ends): every
 * blocking wait of this thread made inside a task is reported. Returns
 * what stops it.
 */
export function watchBlockingCalls(): () => void {
  /** Lines already reported as blocking the executor, so a loop reports once. */
  const reported = new Set<string>();
  const observer = (kind: WaitKind) => reportBlocking(reported, BLOCKING_CALLS[kind] ?? `a blocking weft call (${kind})`);
  blockingObserver.current = observer;
  return () => {
    if (blockingObserver.current === observer) blockingObserver.current = undefined;
  };
}

/** A blocking weft call inside a task: the whole executor stops with it. Said once per line, as a lesson. */
function reportBlocking(reported: Set<string>, what: string): void {
  const task = runningTask();
  if (task === null || !hasContext()) return;
  const at = callerLocation();
  if (tracing()) traceTaskEvent('task-blocking', task.id, at);
  const key = `${task.id}:${at?.line ?? 0}:${what}`;
  if (reported.has(key)) return;
  reported.add(key);
  context().host.output(
    'warn',
    `${task.label()} is blocking the executor${at ? ` at line ${at.line}` : ''}: ${what} blocks the whole thread, so no other task runs until it returns. ` +
      'In async code use weft/task\'s version (await sleep, an async Mutex or channel), or move the work to spawnBlocking.',
  );
}

/**
 * A task that stopped at an await while its thread held a weft/sync lock
 * guard: the lock stays held while other tasks run, and one of them asking
 * for it blocks the whole thread (Tokio's advice: never hold a std Mutex
 * guard across an .await). Recorded in traced runs, for exercise checks.
 * `before`: the guards held when its poll began (`syncGuards`).
 */
export function traceHeldAcrossAwait(task: Task, before: Set<unknown>): void {
  // The guards this task took (in this poll or an earlier one) and still holds; other tasks' guards are theirs.
  const now = syncGuards();
  const mine = new Set([...(guardsOfTask.get(task) ?? [])].filter((g) => now.has(g)));
  for (const guard of now) if (!before.has(guard)) mine.add(guard);
  guardsOfTask.set(task, mine);
  if (mine.size === 0) return;
  const at = whereAwaiting(task.future);
  traceTaskEvent('held-across-await', task.id, at.line > 0 ? { line: at.line, column: at.column } : undefined);
}

/** In traced runs: the weft/sync lock guards each task took and has not released. */
const guardsOfTask = new WeakMap<Task, Set<unknown>>();

/** The weft/sync lock guards this thread holds now. */
export function syncGuards(): Set<unknown> {
  const guards = new Set<unknown>();
  const ctx = context();
  for (const owned of [...ctx.guards, ...ctx.owned]) {
    if (owned instanceof MutexGuard || owned instanceof RwLockReadGuard || owned instanceof RwLockWriteGuard) guards.add(owned);
  }
  return guards;
}
