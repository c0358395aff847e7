/**
 * Tasks own what they capture, as with Tokio's `tokio::spawn(async move { … })`.
 * https://doc.rust-lang.org/std/keyword.move.html
 *
 * In Rust the task's future owns each captured value: the spawner's variable
 * is spent, and the value is dropped when the task ends (returns, panics or
 * is aborted), so a channel closes once every task holding a Sender is done.
 * The compile step wraps an async closure passed to `spawn`
 * (compile/task-closures.ts) so that, at spawn time, this file can:
 *
 *   - give the task a fresh handle for each captured handle that has a drop
 *     (weft/task's channel ends, guards, permits, sockets, listeners,
 *     JoinSets; weft/sync's Senders, Receivers and Arcs), bound to the
 *     captured name inside the closure only;
 *   - turn the spawner's object into a tombstone: any use of it throws
 *     Rust's "use of moved value … moved into task N", at the reader's line;
 *   - record what the task owns, and drop it exactly once when the task ends.
 *
 * What has no drop (a weft/task Mutex, Semaphore or Notify, an atomic,
 * plain data) is not moved: it stays shared by the tasks that capture it, as
 * an `Arc` would share it in Tokio. A task that gives a handle away (sends
 * it on a channel, returns it, moves it into another task) no longer owns
 * it, so it does not drop it.
 *
 * A tombstone is the old object with its prototype swapped for one that
 * throws: cheaper than checking a flag in every method of every handle, and
 * it catches every use. Each handle class makes its own fresh twin
 * (`[TAKE]`), and leaves the old object owning nothing, so a `using`
 * declaration that already holds the old `[Symbol.dispose]` does no harm.
 */
import { onThisThread } from '../runtime/local-handle.ts';
import { decodeHandle, ENCODE, isEncodable, MOVE, MovableHandle, MovedValueError, type MoveTarget } from '../runtime/handle.ts';
import { drop } from '../sync/drop.ts';
import { NO_BINDINGS, runningTask, type TaskFactory } from './runtime/task.ts';
import { AsyncFn } from './async-fn.ts';
import { lazyCallerLocation } from '../runtime/context.ts';
import { intoFuture, type Future } from './future.ts';

/** Implemented by weft/task's handles that have a drop: returns a fresh handle owning the same resource, and leaves this one owning nothing. */
export const TAKE = Symbol('weft.task.take');

export interface Takeable {
  [TAKE](): { fresh: object; what: string };
}

const tombstones = new WeakSet<object>();

function tombstone(old: object, what: string, target: MoveTarget): void {
  tombstones.add(old);
  const spent = new Proxy(Object.create(null) as object, {
    get() {
      throw new MovedValueError(what, target);
    },
    has: () => true,
  });
  Object.setPrototypeOf(old, spent);
}

/** True for a handle that moves into a task that captures it. */
function isMovable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (tombstones.has(value)) return true;
  if (TAKE in value) return true;
  return isEncodable(value) && typeof (value as { dropOnExit?: unknown }).dropOnExit === 'function';
}

/**
 * Moves `value` into a task if it is a handle with a drop; returns what the
 * task's body gets (the fresh handle, or `value` itself). A spent handle
 * throws "use of moved value" here, at the spawn.
 */
function moveOne(value: unknown, target: MoveTarget, moves: Map<object, object>, owned: object[]): unknown {
  if (!isMovable(value)) return value;
  const again = moves.get(value);
  if (again !== undefined) return again; // one handle captured under two names
  let fresh: object;
  if (tombstones.has(value) || TAKE in value) {
    // On a tombstone, reading TAKE throws the "use of moved value" error.
    const taken = (value as Takeable)[TAKE]();
    fresh = taken.fresh;
    tombstone(value, taken.what, target);
  } else {
    // A weft/sync handle: moved as into a thread, without the bytes in between.
    // It stays on this thread: an Arc of one of weft/task's primitives may move into a task (runtime/local-handle.ts).
    const { kind, addr } = onThisThread(() => (value as { [ENCODE](): { kind: number; addr: number } })[ENCODE]());
    MovableHandle.noteEncoded(value);
    (value as { [MOVE](t: MoveTarget): void })[MOVE](target);
    fresh = decodeHandle(kind, addr, true);
  }
  moves.set(value, fresh);
  owned.push(fresh);
  return fresh;
}

const MOVING = Symbol('weft.task.moving');

interface Moving {
  line: number;
  read: () => Record<string, unknown>;
  rebound: readonly string[];
  factory: TaskFactory;
  /** The closure takes no parameters: calling it runs nothing of the reader's, so it can wait for the task's first poll. */
  lazy: boolean;
}

/** `__weft.task` in compiled programs: an async closure passed to `spawn`, tagged so `spawn` can move its captures. */
export function taskClosure(line: number, read: Moving['read'], rebound: Moving['rebound'], factory: Moving['factory'], lazy = false): Function {
  // Called some other way than by weft/task's spawn, it is the closure as written.
  const closure = function (this: unknown, ...args: unknown[]) {
    return factory(read()).apply(this, args);
  } as Function & { [MOVING]?: Moving };
  closure[MOVING] = { line, read, rebound, factory, lazy };
  return closure;
}

/**
 * `__weft.taskArg` in compiled programs: an async closure written as the first argument of weft/task's own
 * `spawn` (the compile step checks the import), which reads this record and nothing else does. Where
 * `__weft.task` makes a wrapper closure, a record of its parts and a property on the wrapper, all kept by the
 * task, this is one object that dies at the spawn: the task keeps only the factory (issue 15).
 */
export class TaskArg implements Moving {
  readonly line: number;
  readonly read: Moving['read'];
  readonly rebound: Moving['rebound'];
  readonly factory: Moving['factory'];
  readonly lazy: boolean;
  constructor(line: number, read: Moving['read'], rebound: Moving['rebound'], factory: Moving['factory'], lazy: boolean) {
    this.line = line;
    this.read = read;
    this.rebound = rebound;
    this.factory = factory;
    this.lazy = lazy;
  }
}

export function taskArg(line: number, read: Moving['read'], rebound: Moving['rebound'], factory: Moving['factory'], lazy = false): TaskArg {
  return new TaskArg(line, read, rebound, factory, lazy);
}

/** `__weft.noNames` in compiled programs: the rebound names of a spawned closure that rebinds none (one array, not one per spawn). */
export const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * What `takeCaptures` hands back for a task whose future is made at its
 * first poll (Task.defer): the bindings for its factory. Read by spawnTask
 * right after the call, so one object serves every spawn.
 */
export const deferred: { bindings: Record<string, unknown> } = { bindings: NO_BINDINGS };

/** How messages name a task being spawned: `task 3`, or `task 'reader'`. */
function taskLabel(id: number, name: string | undefined): string {
  return name === undefined ? `task ${id}` : `task '${name}'`;
}

/**
 * What `spawn` runs: the future of `value`, after moving what it captures
 * into task `id` (named `name`, if it has one). `owned` receives the task's handles.
 *
 * With `defer`, for an async closure with no parameters, its factory instead, with the
 * bindings in `deferred`: the closure is made and called at the task's
 * first poll (Task.defer, Task.pollable). Calling it only builds its future,
 * so nothing the reader wrote runs any later for it; what it captures has
 * moved by now, as Rust moves it at the spawn. A task spawned in a loop then
 * holds no future and body until it runs (issue 15: with a finished task's
 * outcome in two fields, the bench's task-spawn program promoted 835 -> 699
 * MB over its 9 rounds of 2 x 100,000 spawns).
 */
export function takeCaptures(value: unknown, api: string, id: number, name: string | undefined, owned: object[]): Future<unknown>;
export function takeCaptures(value: unknown, api: string, id: number, name: string | undefined, owned: object[], defer: true): Future<unknown> | TaskFactory;
export function takeCaptures(value: unknown, api: string, id: number, name: string | undefined, owned: object[], defer = false): Future<unknown> | TaskFactory {
  const moving = value instanceof TaskArg ? value : typeof value === 'function' ? (value as { [MOVING]?: Moving })[MOVING] : undefined;
  if (moving === undefined) {
    const future = intoFuture<unknown>(value, api);
    if (future instanceof AsyncFn) takeArguments(future, id, name, owned);
    return future;
  }
  const captures = moving.read();
  // The factory reads only the rebound variables from `bindings`: none, for most closures.
  const bindings: Record<string, unknown> = moving.rebound.length === 0 ? NO_BINDINGS : {};
  let moves: Map<object, object> | undefined;
  try {
    for (const variable in captures) {
      const captured = captures[variable];
      const rebound = moving.rebound.includes(variable);
      if (rebound) bindings[variable] = captured;
      if (!isMovable(captured)) continue; // plain data, shared: the common case, with no allocation
      const into = taskLabel(id, name);
      const location = { line: moving.line, column: 1 };
      if (!rebound) {
        throw new TypeError(
          `cannot move \`${variable}\` into ${into} at line ${location.line}: the variable is assigned again elsewhere, so the task would share it ` +
            `instead of owning what it holds now. Move a constant copy: \`const ${variable}1 = ${variable};\` before the spawn, and use \`${variable}1\` in the task`,
        );
      }
      bindings[variable] = moveOne(captured, { into, variable, location }, (moves ??= new Map()), owned);
    }
  } catch (error) {
    // No task after all: what already moved for it is dropped, as Rust drops a closure that is never run.
    dropTaskOwned(owned.splice(0), false);
    throw error;
  }
  if (defer && moving.lazy) {
    deferred.bindings = bindings;
    return moving.factory;
  }
  return intoFuture(moving.factory(bindings), api);
}

/** `spawn(worker(tx))`: the future's handle arguments move into the task, as Rust moves them into the future. */
function takeArguments(future: AsyncFn<unknown>, id: number, name: string | undefined, owned: object[]): void {
  let moves: Map<object, object> | undefined;
  let location: (() => { line: number; column: number } | undefined) | undefined;
  future.moveArguments(isMovable, (value) => {
    location ??= lazyCallerLocation(); // the spawn's line: a stack only when an argument moves
    const at = location;
    const target: MoveTarget = {
      into: taskLabel(id, name),
      get location() {
        return at();
      },
    };
    return moveOne(value, target, (moves ??= new Map()), owned);
  });
}

/** Drops what a task owned, once, when it ends (`panicking`: it ended by a panic, which poisons a weft/sync lock). */
export function dropTaskOwned(owned: object[], panicking: boolean): void {
  for (const value of owned) {
    if (tombstones.has(value)) continue; // moved on, into another task
    try {
      const owner = value as { dropOnExit?: (panicking: boolean) => void };
      if (typeof owner.dropOnExit === 'function') owner.dropOnExit(panicking);
      else drop(value);
    } catch {
      // Dropping one must not stop the others from being dropped.
    }
  }
}

/**
 * The running task gives `value` away (sends it, returns it): the handles in
 * it are no longer the task's to drop. Free when the task owns nothing.
 */
export function giveAway(value: unknown): void {
  const owned = runningTask()?.owned;
  if (owned === null || owned === undefined || owned.length === 0) return;
  forget(value, owned, new Set(), 0);
}

/** The same, for a task that finished (its return value). */
export function forgetOwned(value: unknown, owned: object[]): void {
  forget(value, owned, new Set(), 0);
}

function forget(value: unknown, owned: object[], seen: Set<object>, depth: number): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 32 || tombstones.has(value)) return;
  seen.add(value);
  const i = owned.indexOf(value);
  if (i >= 0) {
    owned.splice(i, 1);
    return;
  }
  if (Array.isArray(value)) for (const item of value) forget(item, owned, seen, depth + 1);
  else if (value instanceof Map) for (const [k, v] of value) (forget(k, owned, seen, depth + 1), forget(v, owned, seen, depth + 1));
  else if (value instanceof Set) for (const item of value) forget(item, owned, seen, depth + 1);
  else {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) for (const item of Object.values(value)) forget(item, owned, seen, depth + 1);
  }
}
