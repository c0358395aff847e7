/**
 * The deadlock watchdog's eyes: reads, from run memory, what every live
 * thread of a run is blocked on (the thread slots' wait words, written by
 * weft's `blockWhileEqual`), decides whether the run can still make
 * progress, and says who waits for whom in the reader's words and lines.
 *
 * A run is deadlocked when every live thread is blocked in weft without a
 * time limit (a `sleep` or `recvTimeout` will end by itself), every one of
 * them still waits on a word that holds the value it waits for (a thread
 * already woken but not yet scheduled is not stuck, however long the OS
 * keeps it waiting), and nothing has changed between two looks: no thread
 * has been woken and blocked again.
 * Only threads can wake threads, so from then on none ever will — a channel
 * whose every sender is held by a blocked thread included.
 *
 * Runs on the supervisor's side (the page, or Node's main thread), which
 * never blocks; it only reads run memory.
 */
import type { RunMemory } from '../weft/runtime/memory.ts';
import { S, slot, THREAD_SLOTS, threadIds, shownThreadName, ThreadState } from '../weft/runtime/thread-table.ts';
import { WAIT_KINDS, type WaitKind } from '../weft/runtime/wait.ts';
import type { ReaderError } from './events.ts';

export interface BlockedThread {
  id: number;
  kind: WaitKind;
  /** The primitive's address; for `join`, the joined thread's id. */
  object: number;
  line: number;
  column: number;
  timed: boolean;
  /** Changes every time the thread blocks anew. */
  seq: number;
  /**
   * The word it waits on no longer holds the value it waits for: it has
   * been woken (or is about to be) and has not run yet, which on a loaded
   * machine can take longer than the watchdog's two looks. Not stuck.
   */
  woken: boolean;
}

export interface Snapshot {
  /** Threads that are running (started, not finished). */
  live: number;
  blocked: BlockedThread[];
}

/** Word 5 of a Mutex or an RwLock record: the thread holding it (writer for an RwLock), 0 if none. */
const HOLDER_WORD = 5;

export function snapshot(memory: RunMemory): Snapshot {
  const i32 = memory.i32;
  const blocked: BlockedThread[] = [];
  let live = 0;
  for (const id of threadIds(i32)) {
    if (Atomics.load(i32, slot(id, S.state)) !== ThreadState.running) continue;
    live++;
    const code = Atomics.load(i32, slot(id, S.waitKind));
    if (code === 0) continue;
    blocked.push({
      id,
      kind: WAIT_KINDS[code - 1]!,
      object: Atomics.load(i32, slot(id, S.waitObject)),
      line: Atomics.load(i32, slot(id, S.waitLine)),
      column: Atomics.load(i32, slot(id, S.waitColumn)),
      timed: Atomics.load(i32, slot(id, S.waitTimed)) === 1,
      seq: Atomics.load(i32, slot(id, S.blockSeq)),
      woken: Atomics.load(i32, Atomics.load(i32, slot(id, S.waitIndex))) !== Atomics.load(i32, slot(id, S.waitValue)),
    });
  }
  return { live, blocked };
}

function stuck(s: Snapshot): boolean {
  return s.live > 0 && s.blocked.length === s.live && s.blocked.every((t) => !t.timed && !t.woken);
}

/** true when both looks show every live thread blocked for good, and nothing moved in between. */
export function isDeadlocked(before: Snapshot | undefined, now: Snapshot): boolean {
  if (before === undefined || !stuck(before) || !stuck(now) || before.blocked.length !== now.blocked.length) return false;
  return now.blocked.every((t, i) => {
    const was = before.blocked[i]!;
    return was.id === t.id && was.seq === t.seq && was.kind === t.kind && was.object === t.object;
  });
}

const WHAT: Record<WaitKind, string> = {
  mutex: 'to lock a Mutex',
  'rwlock-read': 'to read-lock an RwLock',
  'rwlock-write': 'to write-lock an RwLock',
  condvar: 'on a Condvar for a notification',
  barrier: 'at a Barrier for the other threads',
  once: 'for a Once initialiser another thread is running',
  'channel-recv': 'to receive from a channel',
  'channel-send': 'to send on a full (or rendezvous) channel',
  join: 'to join',
  park: 'to be unparked',
  sleep: 'asleep',
  'par-job': 'for parallel work on the thread pool',
  'par-idle': 'for work, idle in the thread pool',
  'par-lent': 'for its place in the thread pool, which another thread holds to run install\'s or a pool scope\'s closure',
  'thread-slot': 'to spawn a thread',
};

/** The thread `t` waits for, when one thread alone can release it. */
function waitsFor(memory: RunMemory, t: BlockedThread): number | undefined {
  switch (t.kind) {
    case 'join':
      return t.object;
    case 'mutex':
    case 'rwlock-write':
    case 'rwlock-read': {
      const holder = Atomics.load(memory.i32, (t.object >> 2) + HOLDER_WORD);
      return holder > 0 ? holder : undefined;
    }
    default:
      return undefined;
  }
}

export interface DeadlockReport {
  /** One line for the run's end: "Deadlock: main waits for 'worker', which waits for main." */
  summary: string;
  /** One error per blocked thread, at the reader's line where it blocked. */
  errors: ReaderError[];
}

/** Says who waits for what, and the cycle when there is one. */
export function describeDeadlock(memory: RunMemory, now: Snapshot): DeadlockReport {
  const name = (id: number) => {
    const named = shownThreadName(memory, id);
    return named === undefined ? `thread ${id}` : `'${named}'`;
  };
  const byId = new Map(now.blocked.map((t) => [t.id, t]));
  const errors: ReaderError[] = now.blocked.map((t) => {
    const other = waitsFor(memory, t);
    let message = `${name(t.id)} is blocked waiting ${WHAT[t.kind]}`;
    if (t.kind === 'join') message += ` ${name(t.object)}, which is blocked too`;
    else if (other !== undefined) message += ` held by ${name(other)}${other === t.id ? ' — itself' : ''}`;
    else if (t.kind === 'thread-slot') {
      message +=
        `: weft runs at most ${THREAD_SLOTS} threads at once (running, or finished and not yet joined), all ${THREAD_SLOTS} places are taken, ` +
        'and a place comes back only when a thread ends and is joined (or was detached); every other running thread is blocked, so none will. ' +
        'Join the handles you keep, or drop the ones you will not join, before spawning more';
    } else if (t.kind === 'channel-recv') {
      // Its Senders still exist (a closed channel would have woken it), and every live thread is blocked.
      message +=
        now.blocked.length === 1
          ? ', but no other thread is left to send on it, so the Sender keeping it open is in this thread\'s own hands: drop each one it holds before receiving, as in drop(tx), clones too (a scoped thread only borrows the Senders it uses)'
          : ', but every thread that still holds one of its Senders is blocked (a Sender this thread holds itself counts: drop it before receiving)';
    }
    return {
      name: 'Deadlock',
      message,
      thread: shownThreadName(memory, t.id) ?? `thread ${t.id}`,
      ...(t.line > 0 ? { location: { line: t.line, column: t.column } } : {}),
    };
  });

  // Follow "waits for" edges from each thread; the first one that comes back to itself is the cycle.
  let cycle: number[] | undefined;
  for (const start of now.blocked) {
    const path = [start.id];
    let next = waitsFor(memory, start);
    while (next !== undefined && byId.has(next) && !path.includes(next)) {
      path.push(next);
      next = waitsFor(memory, byId.get(next)!);
    }
    if (next !== undefined && path[0] === next) {
      cycle = path;
      break;
    }
  }
  const where = (id: number) => {
    const t = byId.get(id)!;
    return t.line > 0 ? ` (line ${t.line})` : '';
  };
  const summary = cycle
    ? `Deadlock: ${cycle.map((id, i) => `${name(id)}${where(id)} waits for ${name(cycle[(i + 1) % cycle.length]!)}`).join('; ')}. Every thread is blocked, and none can wake another.`
    : `Deadlock: every thread is blocked (${now.blocked.map((t) => `${name(t.id)}${where(t.id)}`).join(', ')}), and none can wake another.`;
  return { summary, errors };
}

/**
 * What every live thread was doing when the time limit ended the run: where each blocked one waited (its line), and
 * which were running without waiting in weft (a loop that never ends, or work that needs more time), so a reader
 * whose program spins learns which thread it was. A running thread's line is not known: nothing interrupts it.
 */
export function describeAtTimeLimit(memory: RunMemory, notStarted: ReadonlySet<number> = new Set()): ReaderError[] {
  const i32 = memory.i32;
  const errors: ReaderError[] = [];
  const blocked = new Map(snapshot(memory).blocked.map((t) => [t.id, t]));
  const waiting: number[] = [];
  for (const id of threadIds(i32)) {
    if (Atomics.load(i32, slot(id, S.state)) !== ThreadState.running) continue;
    // Spawned, but no worker has taken it yet: it ran nothing, so it is no "loop that never ends" (1,000 threads
    // spawned at once were each said to be one, when ~150 of them had started in 10 s).
    if (notStarted.has(id)) {
      waiting.push(id);
      continue;
    }
    const named = shownThreadName(memory, id);
    const who = named === undefined ? `thread ${id}` : `'${named}'`;
    const t = blocked.get(id);
    const joined = (other: number) => shownThreadName(memory, other) ?? `thread ${other}`;
    const message =
      t === undefined
        ? notStarted.size > 0
          ? // Threads were still waiting for workers: those handed one just now may be loading the program still.
            `${who} was still running (or starting), not waiting for anything in weft`
          : `${who} was still running, not waiting for anything in weft: a loop that never ends, or work that needs more time`
        : `${who} was still waiting ${WHAT[t.kind]}${t.kind === 'join' ? ` ${joined(t.object)}` : ''}`;
    errors.push({
      name: 'Time limit',
      message,
      thread: named ?? `thread ${id}`,
      ...(t !== undefined && t.line > 0 ? { location: { line: t.line, column: t.column } } : {}),
    });
  }
  if (waiting.length > 0) {
    const which = waiting.length === 1 ? `thread ${waiting[0]} had` : `${waiting.length} threads (${waiting[0]} to ${waiting.at(-1)}) had`;
    errors.unshift({
      name: 'Time limit',
      message:
        `${which} not started yet, waiting for a worker to run on: each thread is a worker of its own, and starting one takes tens of ` +
        `milliseconds, so threads spawned by the hundred take seconds to start. Spawn fewer (as many as availableParallelism()) and give each more work, or use weft/par`,
      thread: `thread ${waiting[0]}`,
    });
  }
  // A run with a thousand threads alive would print a thousand of these: the first few say enough.
  if (errors.length > TIME_LIMIT_LINES) {
    const rest = errors.length - TIME_LIMIT_LINES + 1;
    errors.splice(TIME_LIMIT_LINES - 1, Infinity, { name: 'Time limit', message: `and ${rest} more threads were still running or waiting`, thread: errors[TIME_LIMIT_LINES - 1]!.thread });
  }
  return errors;
}

/** The most lines describeAtTimeLimit gives, the last of them counting the threads it leaves out. */
const TIME_LIMIT_LINES = 8;
