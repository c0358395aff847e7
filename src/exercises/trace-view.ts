/**
 * Questions a check asks of a run's trace (runtime/trace.ts, RunOutcome.trace):
 * how many threads were spawned and how many ran at once, which locks were
 * taken in which order, how many messages were in flight, whether a thread
 * waited while holding a lock. Pure functions of the event list, so the
 * answer for a seeded run is the same everywhere.
 *
 * Objects in the trace are primitives' addresses in run memory (a Mutex, a
 * channel), or a thread's id for `spawn`; events carry the thread's name
 * and the learner's line.
 */
import type { TraceEvent } from '../runner/events.ts';
import { numbersFilterHas, valueHash } from '../weft/runtime/trace.ts';
import { callKey } from '../compile/call-entries.ts';

export interface SpawnInfo {
  /** The new thread's id (its `spawn` event's object). */
  threadId: number;
  /** The thread that spawned it. */
  by: string;
  line: number | undefined;
}

/** Where a thread took a lock while it held another. */
export interface NestedLock {
  thread: string;
  /** The lock it already held, and the line where it took it. */
  outer: { mutex: number; line: number | undefined };
  /** The lock it then took. */
  inner: { mutex: number; line: number | undefined };
}

/** Two nestings in opposite orders: the recipe for a deadlock, whether or not this run hit it. */
export interface LockOrderInversion {
  first: NestedLock;
  second: NestedLock;
}

export interface BlockedWhileHolding {
  thread: string;
  /** The lock held, and where it was taken. */
  mutex: number;
  lockLine: number | undefined;
  /** What the thread blocked on, and where. */
  object: number;
  blockLine: number | undefined;
}

/** One async task of the run (weft/task), as tokio-console lists it. */
export interface TaskSummary {
  /** The task's id within its thread's executor (0 is an async `main`; spawned tasks count from 1, as Tokio's ids do). */
  id: number;
  /** The thread whose executor ran it. */
  thread: string;
  /** Where it was spawned (undefined for main's own task). */
  spawnLine: number | undefined;
  /** How it ended, or 'running' if the run ended first. */
  outcome: 'ok' | 'panic' | 'cancelled' | 'running';
  polls: number;
  wakes: number;
  /** Time spent in its polls (0 under a seed). */
  busyMicros: number;
  /**
   * How many weft/task sleeps (sleep, sleepUntil, a timeout's timer…) had to wait in its polls, each counted once:
   * ten futures that each sleep, joined in one task, count ten; a sleep whose deadline had already passed counts none.
   */
  timers: number;
  /** Spawn to exit (or to the run's last event); under a seed, in scheduler steps. */
  lifetimeMicros: number;
  /** Lifetime minus busy: time spent waiting to be woken or to be polled. */
  idleMicros: number;
  /** The line of the last `await` it waited at. */
  awaitLine: number | undefined;
  /** Its executor's clock when it was spawned, ms: virtual under a seed (time paused), so exact. */
  spawnedAtMs: number;
  /** Its executor's clock when it ended, ms; undefined while it was still running at the run's end. */
  exitedAtMs: number | undefined;
}

/** A thread's wait, as TraceView.waits gives it: where, on what, and whether it ran out of time rather than being woken. */
export type Wait = { thread: string; threadId: number; object: number; kind: string | undefined; line: number | undefined; timedOut: boolean };

/** One weft/task mpsc channel of the run, as its messages show it. */
export interface TaskChannelSummary {
  /** The channel's id (unique on its thread). */
  channel: number;
  thread: string;
  sends: number;
  receives: number;
  /** The tasks that sent on it (ids on its thread's executor; 0: code outside any task), in first-send order. */
  senderTasks: number[];
  /** The tasks that received from it, in first-receive order. */
  receiverTasks: number[];
  /** The most messages queued on it at one moment (sent, not yet received). */
  mostQueued: number;
}

export class TraceView {
  readonly #events: readonly TraceEvent[];
  /** False when the run was not asked to record a trace: every question then fails loudly (a bug in the check). */
  readonly recorded: boolean;
  /** Events the ring had no room for (default capacity 100 000); answers may be incomplete when it is not 0. */
  readonly dropped: number;

  constructor(trace: { events: TraceEvent[]; dropped: number } | undefined) {
    this.#events = trace?.events ?? [];
    this.recorded = trace !== undefined;
    this.dropped = trace?.dropped ?? 0;
  }

  /** Every event, in the order they happened. */
  get events(): readonly TraceEvent[] {
    return this.#need();
  }

  #need(): readonly TraceEvent[] {
    if (!this.recorded) throw new Error('this run recorded no trace: ask for it with { trace: true }');
    return this.#events;
  }

  /** The threads the program spawned, in the order it spawned them. */
  spawned(): SpawnInfo[] {
    return this.#need()
      .filter((e) => e.kind === 'spawn')
      .map((e) => ({ threadId: e.object, by: e.thread, line: e.line }));
  }

  /** The most spawned threads alive at one moment (from spawn to exit; main not counted). */
  mostAliveAtOnce(): number {
    const alive = new Set<number>();
    let most = 0;
    for (const e of this.#need()) {
      if (e.kind === 'spawn') most = Math.max(most, alive.add(e.object).size);
      else if (e.kind === 'exit') alive.delete(e.threadId);
    }
    return most;
  }

  /**
   * How long each spawned thread worked, in spawn order, for the threads that ended (returned or panicked) in a free
   * run: its closure's running time (`ranMs`) less the time it spent blocked (`blockedMs`: on a join, a lock, a
   * receive, a sleep...), so `workMs` is what it computed. A thread that only hands back a result worked out before it
   * was spawned works next to nothing, however long it waited. Empty under a seed (only replayable numbers are
   * traced there). A thread taken off its core counts as working: compare with a margin.
   */
  threadWork(): { threadId: number; thread: string; ranMs: number; blockedMs: number; workMs: number }[] {
    const blocked = new Map<number, number>(); // thread id -> µs blocked so far
    const since = new Map<number, number>(); // thread id -> time of its open block
    const work: { threadId: number; thread: string; ranMs: number; blockedMs: number; workMs: number }[] = [];
    for (const e of this.#need()) {
      if (e.kind === 'block') since.set(e.threadId, e.time);
      else if (e.kind === 'wake') {
        const from = since.get(e.threadId);
        if (from !== undefined) blocked.set(e.threadId, (blocked.get(e.threadId) ?? 0) + Math.max(0, e.time - from));
        since.delete(e.threadId);
      } else if (e.kind === 'exit' && e.ranMicros !== undefined) {
        const blockedMs = Math.min(e.ranMicros, blocked.get(e.threadId) ?? 0) / 1000;
        const ranMs = e.ranMicros / 1000;
        work.push({ threadId: e.threadId, thread: e.thread, ranMs, blockedMs, workMs: ranMs - blockedMs });
      }
    }
    const order = new Map(this.spawned().map((s, i) => [s.threadId, i]));
    return work.sort((a, b) => (order.get(a.threadId) ?? Infinity) - (order.get(b.threadId) ?? Infinity));
  }

  /**
   * Every time the program's exported function `name` was entered, in order, on which thread, and where in `events`
   * (`index`): where a function the exercise gave ran, on the threads or on the caller before it spawned them. Recorded:
   * exported functions, declared with `function` or held in a `const` as an arrow or a function expression, and every
   * top-level async function, exported or not, when it is called (its future made: a slow backend the exercise gives,
   * which the reader must ask rather than stand in for); never main (compile/call-entries.ts).
   */
  calls(name: string): { thread: string; threadId: number; index: number }[] {
    const key = callKey(name);
    const calls: { thread: string; threadId: number; index: number }[] = [];
    this.#need().forEach((e, index) => {
      if (e.kind === 'call' && e.object === key) calls.push({ thread: e.thread, threadId: e.threadId, index });
    });
    return calls;
  }

  /** Every `unpark()` of a thread (`of`: its id), in order: by which thread, at which line, and where in `events` (`index`). */
  unparks(of?: number): { by: string; byId: number; threadId: number; line: number | undefined; index: number }[] {
    const found: { by: string; byId: number; threadId: number; line: number | undefined; index: number }[] = [];
    this.#need().forEach((e, index) => {
      if (e.kind === 'unpark' && (of === undefined || e.object === of)) found.push({ by: e.thread, byId: e.threadId, threadId: e.object, line: e.line, index });
    });
    return found;
  }

  /**
   * How many items of a RwLock's array value each read guard let its thread read, one entry per guard that read any
   * (index reads, a loop, slice, for-of…: each item read counts, again if read again), in release order. A thread that
   * takes a read lock and hands back a part worked out elsewhere reads none.
   */
  itemsRead(): { thread: string; threadId: number; lock: number; items: number }[] {
    return this.#need()
      .filter((e) => e.kind === 'read-items')
      .map((e) => ({ thread: e.thread, threadId: e.threadId, lock: e.object, items: e.items ?? 0 }));
  }

  /** Threads that ended (returned or panicked) before the run did. */
  exited(): number[] {
    return this.#need()
      .filter((e) => e.kind === 'exit')
      .map((e) => e.threadId);
  }

  /**
   * Every `join()` that returned, in the order they returned: who joined which thread, where,
   * and what the thread returned when that was a number (`value`), so a check can tell results
   * that came back through `join` from results computed elsewhere. `holds(n)` asks whether `n`
   * came back in it: it was the value, or one of the numbers inside an array or plain object the
   * thread returned (a Bloom filter: never false when it did; true by mistake now and then, 1 in
   * 1,000 or less for a value of a few numbers).
   */
  joins(): { by: string; threadId: number; line: number | undefined; value: number | undefined; holds: (n: number) => boolean }[] {
    return this.#need()
      .filter((e) => e.kind === 'join')
      .map((e) => {
        return { by: e.thread, threadId: e.object, line: e.line, value: e.value, holds: holdsOf(e) };
      });
  }

  /**
   * Every unlock of `mutex` (a Mutex's address), in order: which thread, where, and the
   * value it left in the Mutex when that was a number (undefined otherwise). The values
   * show what each critical section did: a counter's go 1, 2, 3... when every holder adds 1.
   */
  unlocks(mutex: number): { thread: string; threadId: number; line: number | undefined; value: number | undefined }[] {
    return this.#need()
      .filter((e) => e.kind === 'unlock' && e.object === mutex)
      .map((e) => ({ thread: e.thread, threadId: e.threadId, line: e.line, value: e.value }));
  }

  /**
   * Every time a thread blocked, with what it waited on ('condvar', 'mutex', 'channel-recv',
   * 'join', 'sleep'...; runtime/wait.ts): `waits('condvar')` counts real Condvar sleeps, which
   * a `sleep()` in a polling loop is not. `timedOut`: a timed wait (waitTimeout, recvTimeout...) that ran
   * out of time rather than being woken, as a poll with a short timeout does again and again.
   */
  waits(kind?: string): Wait[] {
    // Each block is paired with its thread's next wake, which says whether the wait ran out of time.
    const events = this.#need();
    const open = new Map<number, Wait>();
    const waits: Wait[] = [];
    for (const e of events) {
      if (e.kind === 'block') {
        if (kind !== undefined && e.waitKind !== kind) {
          open.delete(e.threadId);
          continue;
        }
        const wait = { thread: e.thread, threadId: e.threadId, object: e.object, kind: e.waitKind, line: e.line, timedOut: false };
        waits.push(wait);
        open.set(e.threadId, wait);
      } else if (e.kind === 'wake') {
        const wait = open.get(e.threadId);
        if (wait !== undefined && e.timedOut === true) wait.timedOut = true;
        open.delete(e.threadId);
      }
    }
    return waits;
  }

  /**
   * The most threads holding `lock` (a Mutex or an RwLock; any lock when
   * omitted, counted per lock) at one moment: 1 for a Mutex, up to the
   * number of readers for an RwLock's read guards.
   */
  mostHoldingAtOnce(lock?: number): number {
    const holders = new Map<number, Set<number>>();
    let most = 0;
    for (const e of this.#need()) {
      if ((e.kind !== 'lock' && e.kind !== 'unlock') || (lock !== undefined && e.object !== lock)) continue;
      let set = holders.get(e.object);
      if (set === undefined) holders.set(e.object, (set = new Set()));
      if (e.kind === 'lock') most = Math.max(most, set.add(e.threadId).size);
      else set.delete(e.threadId);
    }
    return most;
  }

  /** Lock events, of one Mutex or of all. */
  locks(mutex?: number): TraceEvent[] {
    return this.#need().filter((e) => e.kind === 'lock' && (mutex === undefined || e.object === mutex));
  }

  /** The Mutexes the run locked, most locked first. */
  mutexes(): number[] {
    const counts = new Map<number, number>();
    for (const e of this.locks()) counts.set(e.object, (counts.get(e.object) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]).map(([mutex]) => mutex);
  }

  /** Every place a thread took a lock while holding another, in order. */
  nestedLocks(): NestedLock[] {
    const held = new Map<number, Map<number, number | undefined>>(); // thread -> mutex -> line it was locked at
    const nested: NestedLock[] = [];
    for (const e of this.#need()) {
      if (e.kind !== 'lock' && e.kind !== 'unlock') continue;
      let mine = held.get(e.threadId);
      if (mine === undefined) held.set(e.threadId, (mine = new Map()));
      if (e.kind === 'unlock') {
        mine.delete(e.object);
        continue;
      }
      for (const [outer, line] of mine) {
        if (outer !== e.object) nested.push({ thread: e.thread, outer: { mutex: outer, line }, inner: { mutex: e.object, line: e.line } });
      }
      mine.set(e.object, e.line);
    }
    return nested;
  }

  /** The first two nestings that take the same two locks in opposite orders, or undefined when every thread agrees on one order. */
  lockOrderInversion(): LockOrderInversion | undefined {
    const seen = new Map<string, NestedLock>();
    for (const nesting of this.nestedLocks()) {
      const reverse = seen.get(`${nesting.inner.mutex}>${nesting.outer.mutex}`);
      if (reverse !== undefined) return { first: reverse, second: nesting };
      const key = `${nesting.outer.mutex}>${nesting.inner.mutex}`;
      if (!seen.has(key)) seen.set(key, nesting);
    }
    return undefined;
  }

  /**
   * A cycle in the order the run took its locks, of any length, or
   * undefined when there is none: the nestings that make it, each one's
   * inner lock the next one's outer lock (a→b, b→c, c→a). Five dining
   * philosophers who each take their left fork first make a cycle of five,
   * whether or not this run deadlocked; lockOrderInversion only finds two.
   */
  lockOrderCycle(): NestedLock[] | undefined {
    const edges = new Map<number, Map<number, NestedLock>>(); // outer -> inner -> the first nesting that took them so
    for (const nesting of this.nestedLocks()) {
      let out = edges.get(nesting.outer.mutex);
      if (out === undefined) edges.set(nesting.outer.mutex, (out = new Map()));
      if (!out.has(nesting.inner.mutex)) out.set(nesting.inner.mutex, nesting);
    }
    const done = new Set<number>();
    const path: NestedLock[] = [];
    const onPath = new Map<number, number>(); // lock -> index in path of the edge leaving it
    const visit = (lock: number): NestedLock[] | undefined => {
      onPath.set(lock, path.length);
      for (const [inner, nesting] of edges.get(lock) ?? []) {
        path.push(nesting);
        const start = onPath.get(inner);
        if (start !== undefined) return path.slice(start);
        if (!done.has(inner)) {
          const found = visit(inner);
          if (found !== undefined) return found;
        }
        path.pop();
      }
      onPath.delete(lock);
      done.add(lock);
      return undefined;
    };
    for (const lock of edges.keys()) {
      if (done.has(lock)) continue;
      const found = visit(lock);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Channels the run used (objects of send and receive events). */
  channels(): number[] {
    return [...new Set(this.#need().filter((e) => e.kind === 'send' || e.kind === 'recv').map((e) => e.object))];
  }

  /**
   * Every receive that found a channel closed (every Sender gone, nothing left queued), of `channel` or of any: which
   * thread, where. A `for (const msg of rx)` loop that ended because the channel closed shows here; one that stopped
   * after counting its messages, or a loop broken off early, does not.
   */
  closedSeen(channel?: number): { thread: string; threadId: number; channel: number; line: number | undefined }[] {
    return this.#need()
      .filter((e) => e.kind === 'closed' && (channel === undefined || e.object === channel))
      .map((e) => ({ thread: e.thread, threadId: e.threadId, channel: e.object, line: e.line }));
  }

  /** Names of the threads that sent on `channel` (or received, with `kind: 'recv'`). */
  threadsThat(kind: 'send' | 'recv', channel: number): string[] {
    return [...new Set(this.#need().filter((e) => e.kind === kind && e.object === channel).map((e) => e.thread))];
  }

  /**
   * How many messages `channel` (a weft/sync channel's address) holds, as its sends record it: a bounded channel's
   * capacity (0 for a rendezvous channel), 'unbounded' for mpsc.channel(), undefined when nothing was sent on it.
   */
  capacity(channel: number): number | 'unbounded' | undefined {
    const send = this.#need().find((e) => e.kind === 'send' && e.object === channel && e.capacity !== undefined);
    if (send === undefined) return undefined;
    return send.capacity! < 0 ? 'unbounded' : send.capacity;
  }

  /** Messages sent on `channel` (or on any channel). */
  sends(channel?: number): number {
    return this.#need().filter((e) => e.kind === 'send' && (channel === undefined || e.object === channel)).length;
  }

  /** The most messages sent and not yet received on one channel at one moment. */
  mostInFlight(channel?: number): number {
    const inFlight = new Map<number, number>();
    let most = 0;
    for (const e of this.#need()) {
      if ((e.kind !== 'send' && e.kind !== 'recv') || (channel !== undefined && e.object !== channel)) continue;
      const n = Math.max(0, (inFlight.get(e.object) ?? 0) + (e.kind === 'send' ? 1 : -1));
      inFlight.set(e.object, n);
      most = Math.max(most, n);
    }
    return most;
  }

  /** The first time a thread blocked on something (a join, a receive, another lock) while it held a lock. */
  blockedWhileHolding(): BlockedWhileHolding | undefined {
    const held = new Map<number, Map<number, number | undefined>>();
    for (const e of this.#need()) {
      let mine = held.get(e.threadId);
      if (mine === undefined) held.set(e.threadId, (mine = new Map()));
      if (e.kind === 'lock') mine.set(e.object, e.line);
      else if (e.kind === 'unlock') mine.delete(e.object);
      else if (e.kind === 'block') {
        for (const [mutex, lockLine] of mine) {
          if (mutex !== e.object) return { thread: e.thread, mutex, lockLine, object: e.object, blockLine: e.line };
        }
      }
    }
    return undefined;
  }

  /** Every blocking weft call made inside an async task (the executor stopped with it): which task, on which thread, at which line. */
  blockingInTasks(): { task: number; thread: string; line: number | undefined }[] {
    return this.#need()
      .filter((e) => e.kind === 'task-blocking')
      .map((e) => ({ task: e.object, thread: e.thread, line: e.line }));
  }

  /** Every await at which a task stopped while its thread held a weft/sync Mutex or RwLock guard. */
  locksHeldAcrossAwait(): { task: number; thread: string; line: number | undefined }[] {
    return this.#need()
      .filter((e) => e.kind === 'held-across-await')
      .map((e) => ({ task: e.object, thread: e.thread, line: e.line }));
  }

  /** The weft/task mpsc channels that carried messages, in the order of their first message. */
  taskChannels(): TaskChannelSummary[] {
    const byKey = new Map<string, TaskChannelSummary & { queued: number }>();
    for (const e of this.#need()) {
      if (e.kind !== 'task-send' && e.kind !== 'task-recv') continue;
      const key = `${e.threadId}:${e.object}`;
      let c = byKey.get(key);
      if (c === undefined) {
        c = { channel: e.object, thread: e.thread, sends: 0, receives: 0, senderTasks: [], receiverTasks: [], mostQueued: 0, queued: 0 };
        byKey.set(key, c);
      }
      const task = e.taskId ?? 0;
      if (e.kind === 'task-send') {
        c.sends++;
        c.mostQueued = Math.max(c.mostQueued, ++c.queued);
        if (!c.senderTasks.includes(task)) c.senderTasks.push(task);
      } else {
        c.receives++;
        c.queued = Math.max(0, c.queued - 1);
        if (!c.receiverTasks.includes(task)) c.receiverTasks.push(task);
      }
    }
    return [...byKey.values()].map(({ queued, ...c }) => c);
  }

  /**
   * Every weft/par `join` call, in order: its thread, how many joins enclosed it there (0: the outermost), its line,
   * and what its two closures returned, each when it was a number (undefined too when the join panicked or the run
   * ended first), so a check can tell a result the join computed from one computed beside it. In a free run,
   * `halvesMs` is how long each closure took (ms, on whichever thread ran it): a result worked out before the join and
   * passed through it took no time there. Undefined under a seed (only replayable numbers are traced there).
   */
  parJoins(): {
    thread: string;
    depth: number;
    line: number | undefined;
    results: [number | undefined, number | undefined];
    /** Each half's result's length, when it was an array (a sorted side); undefined otherwise. */
    lengths: [number | undefined, number | undefined];
    halvesMs: [number, number] | undefined;
    /**
     * Under a seed, when its closures captured an array of 16 to 4,096 numbers: the one nearest to sorted, its length
     * and how far from sorted it was (`outOfOrder`: the share of its pairs out of order, counted from whichever order
     * is nearer, 0 for sorted ascending or descending, about 0.5 shuffled). Halves handed numbers sorted before the
     * join sort nothing.
     */
    handed: { length: number; outOfOrder: number } | undefined;
  }[] {
    return this.#need()
      .filter((e) => e.kind === 'par-join')
      .map((e) => ({
        thread: e.thread,
        depth: e.object,
        line: e.line,
        results: [e.results?.a, e.results?.b],
        lengths: [e.lengths?.a, e.lengths?.b],
        halvesMs: e.work && 'a' in e.work ? [e.work.a / 1000, e.work.b / 1000] : undefined,
        handed: e.handedOrder === undefined ? undefined : { length: e.handedOrder.length, outOfOrder: e.handedOrder.score / 1000 },
      }));
  }

  /**
   * Every weft/par parallel iterator that ran (its terminal operation: sum, reduce, collect…): how many items, where,
   * and its result when that was a number (undefined for collect and the like, or when it panicked), so a check can
   * tell a total the iterator computed from one computed beside it. In a free run, `work` is how long its pieces
   * took (ms): together (`totalMs`, on whichever threads ran them, the calling thread's first piece included) and the
   * longest one (`longestMs`), so a check can tell work the pool did from a total worked out before and passed
   * through it, and work spread over pieces from work done in one. Undefined under a seed (only replayable numbers
   * are traced there).
   */
  parIterators(): {
    /** The event's place in the trace: what parAtomics() recorded after it, on this thread, came during or after it. */
    seq: number;
    thread: string;
    items: number;
    line: number | undefined;
    value: number | undefined;
    work: { totalMs: number; longestMs: number } | undefined;
    /** Under a seed, how many pieces the seed cut its work into (1: the whole work in one piece, as `withMinLen(n)` asks); undefined in a free run, and for chunks, zip, enumerate and withMaxLen, which a seed does not cut. */
    pieces: number | undefined;
    /**
     * Under a seed, each piece the seed cut it into, in order: its items [lo, hi) and its result, `value` when a
     * number, `size` (how many entries) when an array, Map, Set or plain object, and for an array `numbers`: how many
     * numbers it holds, itself or in the arrays in it (a collected row of pixels per item). Empty in a free run, and for
     * chunks, zip, enumerate and withMaxLen. A piece whose result is the whole answer while the others are empty did all the work.
     */
    parts: { lo: number; hi: number; value?: number; size?: number; numbers?: number }[];
    /** Under a seed, how many threads the pool it ran on has, when the program built that pool (ThreadPoolBuilder); undefined on the global pool. */
    poolThreads: number | undefined;
    /**
     * Whether `n` is among the numbers its result held, when that result was an array, a plain object or a Map (the
     * counts a fold and reduce built): a Bloom filter of 128 bits, never false when it is there; for a result of a
     * few dozen distinct numbers, a wrong yes about 1 time in 8 for each number asked about. For a number result, `value`.
     */
    holds: (n: number) => boolean;
  }[] {
    return this.#need()
      .filter((e) => e.kind === 'par-iter')
      .map((e) => ({
        seq: e.seq,
        thread: e.thread,
        items: e.object,
        line: e.line,
        value: e.value,
        work: e.work && 'total' in e.work ? { totalMs: e.work.total / 1000, longestMs: e.work.longest / 1000 } : undefined,
        pieces: e.pieces,
        poolThreads: e.poolThreads,
        parts: this.#need()
          .filter((p) => p.kind === 'par-piece' && p.object === e.seq && p.piece !== undefined)
          .map((p) => p.piece!),
        holds: holdsOf(e),
      }));
  }

  /**
   * Every change to an atomic made inside weft/par work (a parallel iterator's or a join's closures, or any code on
   * a pool's threads), in order: the atomic (its address), the value before (undefined for a store) and after, each
   * when a number, and `seq`, the event's place in the trace (compare with parIterators()' `seq`). Changes made
   * outside par work are not recorded: a total added up on the calling thread after the iterator does not show.
   * They stop once the trace is half full (50,000 events by default), so the events after them keep their room.
   */
  parAtomics(): { seq: number; thread: string; atomic: number; line: number | undefined; before: number | undefined; after: number | undefined }[] {
    return this.#need()
      .filter((e) => e.kind === 'par-atomic')
      .map((e) => ({ seq: e.seq, thread: e.thread, atomic: e.object, line: e.line, before: e.atomic?.before, after: e.atomic?.after }));
  }

  /**
   * Every value sent on a weft/task oneshot channel, in order: the sending task (its id on its thread's executor; 0:
   * code outside any task), where, and `is(v)`, whether the value sent was `v` (a string, number, boolean or null,
   * compared by a 32-bit hash: a wrong yes is about 1 in 4 billion; always false for other values).
   */
  oneshotSends(): { task: number; thread: string; line: number | undefined; is: (value: unknown) => boolean }[] {
    return this.#need()
      .filter((e) => e.kind === 'oneshot-send')
      .map((e) => ({
        task: e.object,
        thread: e.thread,
        line: e.line,
        is: (value: unknown) => e.valueHash !== undefined && valueHash(value) === e.valueHash,
      }));
  }

  /**
   * Every weft/task sleep that had to wait, in the order they began: the task (its id on its thread's executor), its
   * thread, and from when to its deadline on the task clock (ms; virtual under a seed, so exact), which a check
   * compares with a task's spawnedAtMs: when a fetch's wait began tells whether it waited for what it needed first.
   */
  timers(): { task: number; thread: string; fromMs: number; toMs: number }[] {
    return this.#need()
      .filter((e) => e.kind === 'task-timer' && e.timer !== undefined)
      .map((e) => ({ task: e.object, thread: e.thread, fromMs: e.timer!.fromMs, toMs: e.timer!.toMs }));
  }

  /** Every async task the run spawned (weft/task), in spawn order, with its counters. */
  tasks(): TaskSummary[] {
    const events = this.#need();
    const end = events.length > 0 ? events[events.length - 1]!.time : 0;
    // Ids are per executor: a thread that runs two executors (blockOn twice) reuses them, so a key names the latest.
    const all: (TaskSummary & { spawnedAt: number })[] = [];
    const byKey = new Map<string, TaskSummary & { spawnedAt: number }>();
    for (const e of events) {
      const key = `${e.threadId}:${e.object}`;
      if (e.kind === 'task-spawn') {
        const task = {
          id: e.object,
          thread: e.thread,
          spawnLine: e.line,
          outcome: 'running',
          polls: 0,
          wakes: 0,
          busyMicros: 0,
          timers: 0,
          lifetimeMicros: 0,
          idleMicros: 0,
          awaitLine: undefined,
          spawnedAtMs: e.clockMs ?? 0,
          exitedAtMs: undefined,
          spawnedAt: e.time,
        } satisfies TaskSummary & { spawnedAt: number };
        all.push(task);
        byKey.set(key, task);
      } else if (e.kind === 'task-exit' && e.task !== undefined) {
        const task = byKey.get(key);
        if (task === undefined) continue;
        Object.assign(task, { ...e.task, timers: e.task.timers ?? 0, awaitLine: e.line, lifetimeMicros: e.time - task.spawnedAt, exitedAtMs: e.clockMs });
      }
    }
    return all.map(({ spawnedAt, ...task }) => {
      if (task.outcome === 'running') task.lifetimeMicros = end - spawnedAt;
      task.idleMicros = Math.max(0, task.lifetimeMicros - task.busyMicros);
      return task;
    });
  }
}

/** Whether `n` came back in a traced result: it was the value, or one of the numbers its Bloom filter holds (trace.ts). */
function holdsOf(e: TraceEvent): (n: number) => boolean {
  const filter = e.numbersFilter;
  return (n) => e.value === n || (filter !== undefined && numbersFilterHas(filter, n));
}
