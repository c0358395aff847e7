/**
 * The seeded scheduler: with a seed, one thread of a run executes at a time
 * and control changes hands only at weft's synchronization points (spawn,
 * join, lock, unlock, send, receive, atomics, park, sleep, yieldNow, and
 * every blocking wait). Which thread goes next is chosen from the seed, so
 * one seed always replays one interleaving, byte for byte — the way loom and
 * shuttle explore Rust programs, and what lets a grader report "fails with
 * seed 1234".
 *
 * Two strategies (RunOptions.schedule):
 * - 'random': at every point, a uniformly random runnable thread.
 * - 'pct': Burckhardt et al.'s probabilistic concurrency testing (ASPLOS
 *   2010): threads get random priorities, the highest-priority runnable
 *   thread runs, and at d-1 = 2 random steps the running thread's priority
 *   drops below everyone's. Finds a bug of depth d with probability at
 *   least 1/(n·k^(d-1)) per run.
 *
 * The state lives in run memory (H.sched, H.turn, ...) and only the thread
 * holding the turn reads or writes the generator, so the choices do not
 * depend on timing. Time is virtual: a sleeping thread, or a wait with a
 * timeout, becomes runnable when nothing else can run, and the clock jumps
 * to its deadline.
 *
 * Fault injection, under a seed only (a free run never sees it): the
 * schedules a check tries must catch the classic mistakes every time, not
 * when a seed happens to hit them.
 * - An atomic `store` right after the same thread `load`ed the same atomic
 *   lets another thread run in between whenever one can (`yieldBeforeStore`):
 *   a read-modify-write done as load-then-store loses updates in every
 *   schedule with two threads at it, instead of in a lucky few.
 * - A thread's first, third, fifth... Condvar wait returns at once, without
 *   a notify, with the lock taken again (`spuriousWakeup`): what Rust's
 *   Condvar allows (https://doc.rust-lang.org/std/sync/struct.Condvar.html#method.wait),
 *   so waiting with `if` instead of `while` goes on with its condition
 *   still false, every time it has to wait at all.
 * - A thread's first `recvTimeout` that has to wait runs out its time: the
 *   virtual clock moves on to its deadline, as if the senders were slow
 *   (`firstTimedReceiveRunsOut`). Real threads can be that slow, so a loop
 *   that takes a timeout to mean "the senders are done" loses messages.
 * - A thread's first atomic read-modify-write that leaves the atomic as it
 *   was (a compareExchange that fails, a swap or fetchOr of a flag already
 *   set: another thread holds a lock made of it) keeps the turn while the
 *   thread goes on at that atomic alone, for up to STALL_TURNS operations
 *   on it (`keepTurn`), as when the holder is taken off its core for a
 *   while: a spin loop that gives up after some tries and goes in anyway
 *   meets the holder inside, every time it has to wait at all. A Mutex's
 *   or RwLock's tryLock (tryRead, tryWrite) that finds the lock taken stalls
 *   the same way, and one that takes it lets another thread run right
 *   after, while it holds the lock (`preemptHolder`): a loop that gives up
 *   on tryLock after some tries and goes on without the lock is caught.
 *
 * Free-running (no seed) costs one load of a header word per point.
 */
import { context } from './context.ts';
import { H, type RunMemory } from './memory.ts';
import { S, slot, threadIds, ThreadState } from './thread-table.ts';
import { RunStopped, SLICE_MS } from './stop.ts';
import { runLocal } from './run-local.ts';

export const Schedule = { off: 0, random: 1, pct: 2 } as const;
export type ScheduleName = 'random' | 'pct';

/** The latest virtual time (ms) a deadline can have: the clock is an Int32 word. */
const MAX_VCLOCK = 0x7fffffff;

/** PCT's steps budget: change points are drawn from [1, PCT_STEPS]. */
const PCT_STEPS = 400;

/** Seeds the scheduler of a fresh run (the supervisor calls it before any thread starts). */
export function startSchedule(memory: RunMemory, seed: number, name: ScheduleName = 'random'): void {
  const h = memory.header;
  let state = (seed >>> 0) ^ 0x9e3779b9;
  const next = () => {
    // splitmix32, to spread small seeds over the whole state
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0 || 1;
  };
  h[H.rngA] = next();
  h[H.rngB] = next();
  h[H.step] = 0;
  h[H.vclock] = 0;
  h[H.pctChange0] = 1 + (next() >>> 0) % PCT_STEPS;
  h[H.pctChange1] = 1 + (next() >>> 0) % PCT_STEPS;
  h[H.turn] = 1; // main is thread 1
  Atomics.store(h, H.sched, name === 'pct' ? Schedule.pct : Schedule.random);
}

/**
 * A number drawn from a seeded run's schedule for one thread, without advancing it: what a thread's async runtime
 * starts its own random choices from (weft/task select's fair start), so a seed replays them too.
 */
export function scheduleSalt(memory: RunMemory, threadId: number): number {
  const h = memory.header;
  return (h[H.rngA]! ^ Math.imul(h[H.rngB]! ^ threadId, 0x9e3779b1)) | 0 || 1;
}

export function scheduled(memory: RunMemory): boolean {
  return Atomics.load(memory.header, H.sched) !== Schedule.off;
}

/**
 * Where a seeded run cuts `n` items into pieces (weft/par runs them on the calling thread under a seed): the cut
 * points inside (0, n), each piece at least `minLen` long, chosen from the scheduler's state without advancing it, so
 * the same seed cuts the same way and the interleaving is unchanged. Varying the pieces from seed to seed is what
 * shows up a `reduce` whose operation is not associative, as different splits on real threads would.
 */
export function scheduledCuts(memory: RunMemory, n: number, minLen: number, salt: number): number[] {
  const h = memory.header;
  let x = ((h[H.rngA]! ^ Math.imul(h[H.rngB]!, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0) || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const len = Math.max(1, minLen);
  const most = Math.min(8, Math.floor(n / len));
  if (most < 2) return [];
  const pieces = 2 + (next() % (most - 1));
  const cuts = new Set<number>();
  for (let tries = 0; cuts.size < pieces - 1 && tries < 64; tries++) {
    // A span past 2^32 (a huge range) is scaled, so the cuts fall anywhere in it, not in its first 2^32 items.
    const span = Math.max(1, n - 2 * len + 1);
    const at = len + (span > 2 ** 32 ? Math.floor((next() / 2 ** 32) * span) : next() % span);
    if ([...cuts].every((c) => Math.abs(c - at) >= len)) cuts.add(at);
  }
  return [...cuts].sort((a, b) => a - b);
}

/** xorshift64 over two words; only the turn holder calls it. */
function random(h: Int32Array): number {
  let x = h[H.rngA]! >>> 0;
  let y = h[H.rngB]! >>> 0;
  const t = (x ^ (x << 11)) >>> 0;
  x = y;
  y = (y ^ (y >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
  h[H.rngA] = x | 0;
  h[H.rngB] = y | 0;
  return y;
}

/** A new thread's PCT priority, drawn by its spawner (which holds the turn). */
export function assignPriority(memory: RunMemory, threadId: number): void {
  if (!scheduled(memory)) return;
  memory.i32[slot(threadId, S.priority)] = 3 + (random(memory.header) % 1_000_000);
}

/** Can thread `id` go on now? Its wait, if any, is satisfied (or times out at `vclock`). */
function runnable(i32: Int32Array, id: number, vclock: number): boolean {
  if (Atomics.load(i32, slot(id, S.state)) !== ThreadState.running) return false;
  if (Atomics.load(i32, slot(id, S.waitKind)) === 0) return true;
  if (Atomics.load(i32, i32[slot(id, S.waitIndex)]!) !== i32[slot(id, S.waitValue)]) return true;
  const deadline = i32[slot(id, S.waitDeadline)]!;
  return deadline >= 0 && deadline <= vclock;
}

/**
 * Picks who runs next (maybe `me` again) and hands over the turn. Returns
 * false when no thread can run: every one is blocked for good (a deadlock,
 * which the supervisor's watchdog reports). `yielding` (yieldNow): when only
 * `me` can run, virtual time first moves on to the earliest deadline.
 */
function chooseNext(memory: RunMemory, me: number, spinning = false, avoidMe = false, yielding = false): boolean {
  const h = memory.header;
  const i32 = memory.i32;
  const ids = threadIds(i32);
  const step = ++h[H.step]!;
  const pct = h[H.sched] === Schedule.pct;
  if (pct && (step === h[H.pctChange0] || step === h[H.pctChange1])) {
    i32[slot(me, S.priority)] = step === h[H.pctChange0] ? 1 : 2; // below every initial priority (>= 3)
  }
  let vclock = h[H.vclock]!;
  const runnableNow = () => {
    const found: number[] = [];
    for (const id of ids) if (runnable(i32, id, vclock)) found.push(id);
    // A spinning thread lets another go first, so the one it waits for gets to run (readPoint).
    return spinning && found.length > 1 ? found.filter((id) => id !== me) : found;
  };
  let candidates = runnableNow();
  if (candidates.length === 0 || ((spinning || yielding) && candidates.length === 1 && candidates[0] === me)) {
    // Nothing (else, for a spinner) can run now: let virtual time jump to the earliest deadline.
    let earliest = Infinity;
    for (const id of ids) {
      if (Atomics.load(i32, slot(id, S.state)) !== ThreadState.running || Atomics.load(i32, slot(id, S.waitKind)) === 0) continue;
      const deadline = i32[slot(id, S.waitDeadline)]!;
      if (deadline >= 0 && deadline < earliest) earliest = deadline;
    }
    if (earliest === Infinity && candidates.length === 0) return false;
    if (earliest !== Infinity) {
      vclock = h[H.vclock] = earliest;
      candidates = runnableNow();
    }
  }
  // A forced switch: anyone but me, if anyone else can run.
  if (avoidMe && candidates.length > 1) candidates = candidates.filter((id) => id !== me);
  let next: number;
  if (pct) {
    next = candidates[0]!;
    for (const id of candidates) if (i32[slot(id, S.priority)]! > i32[slot(next, S.priority)]!) next = id;
  } else {
    next = candidates[random(h) % candidates.length]!;
  }
  Atomics.store(h, H.turn, next);
  Atomics.notify(h, H.turn);
  return true;
}

/** Waits until this thread holds the turn (in slices, so a stop gets through). */
export function awaitTurn(memory: RunMemory, me: number): void {
  const h = memory.header;
  for (;;) {
    const turn = Atomics.load(h, H.turn);
    if (turn === me) return;
    if (Atomics.load(h, H.stop) !== 0) throw new RunStopped();
    Atomics.wait(h, H.turn, turn, SLICE_MS);
  }
}

/**
 * A synchronization point: under a seed, maybe let another thread run
 * first. Called by weft's primitives on entry; free when there is no seed.
 */
export function yieldPoint(atomic?: number): void {
  const ctx = context();
  if (!ctx.scheduled) return;
  if (keepTurn(ctx, atomic)) return;
  reads = 0;
  // A yieldNow() with no other thread able to run lets virtual time move on to the earliest deadline (a sleeper's), as
  // real time passes while a thread yields in a loop. Without it a loop of tryRecv (or load) and yieldNow, waiting for
  // a thread that sleeps, chose itself forever: the read count that tells a spinner (readPoint) starts again at every
  // yieldNow and every lock, so it never got there, and the run stopped at its time limit.
  if (chooseNext(ctx.memory, ctx.threadId, false, false, atomic === YIELD_HINT)) awaitTurn(ctx.memory, ctx.threadId);
}

/** Non-blocking reads this thread made in a row, since its last other synchronization point. */
let reads = 0;
runLocal(() => (reads = 0));
/** After this many reads in a row, a thread is taken to spin: it hands the turn to another. */
const SPIN_READS = 8;

/**
 * A non-blocking read (an atomic load, OnceLock.get, tryLock, tryRecv,
 * isFinished…): under a seed a thread that only reads, waiting for another
 * thread to change something, would otherwise be chosen again and again
 * (always, under PCT, while its priority is the highest) and spin forever.
 * So every SPIN_READS-th read in a row hands the turn to some other thread,
 * and, if none can run before a timer, moves virtual time to it, as real
 * time passes while a thread spins. `switches`: the read is a switch point
 * of its own too (atomics and tryRecv always were).
 */
export function readPoint(switches = false, atomic?: number): void {
  const ctx = context();
  if (!ctx.scheduled) return;
  if (keepTurn(ctx, atomic)) return;
  if (++reads >= SPIN_READS) {
    reads = 0;
    if (chooseNext(ctx.memory, ctx.threadId, true)) awaitTurn(ctx.memory, ctx.threadId);
    return;
  }
  if (switches && chooseNext(ctx.memory, ctx.threadId)) awaitTurn(ctx.memory, ctx.threadId);
}

/** An atomic load by this thread: under a seed, remembered, so that a store to the same atomic right after it lets another thread run first. */
export function atomicLoaded(addr: number): void {
  const ctx = context();
  if (ctx.scheduled) ctx.loadedAtomic = addr;
}

/**
 * The synchronization point of an atomic store: under a seed, when this
 * thread's last atomic load was of the same atomic, another runnable thread
 * (if there is one) runs before the store lands (see "Fault injection").
 */
export function yieldBeforeStore(addr: number): void {
  const ctx = context();
  if (!ctx.scheduled) return;
  ctx.stall = undefined;
  const forced = ctx.loadedAtomic === addr;
  ctx.loadedAtomic = 0;
  reads = 0;
  if (chooseNext(ctx.memory, ctx.threadId, false, forced)) awaitTurn(ctx.memory, ctx.threadId);
}

/**
 * Under a seed, right after the program's tryLock (tryRead, tryWrite) took a lock: another runnable thread, if there
 * is one, runs while this one holds it (see "Fault injection"), as when the holder is taken off its core inside its
 * critical section. Without it a critical section with no synchronization point inside is never seen held, and a
 * tryLock loop's give-up path never runs.
 */
export function preemptHolder(): void {
  const ctx = context();
  if (!ctx.scheduled) return;
  ctx.stall = undefined;
  reads = 0;
  if (chooseNext(ctx.memory, ctx.threadId, false, true)) awaitTurn(ctx.memory, ctx.threadId);
}

/** How many operations on one atomic a stalled thread goes on with alone (see "Fault injection"): well past a spin loop's patience of a thousand tries. */
export const STALL_TURNS = 4_096;

/** `yieldNow()`'s mark for keepTurn: a hint to let others run, which a thread kept on its own goes past. */
export const YIELD_HINT = -1;

/**
 * Under a seed, whether this thread keeps the turn at this synchronization point: it is stalled at `atomic` (its
 * first read-modify-write that left that atomic unchanged) and has turns left there. Any other synchronization point
 * ends the stall (a `yieldNow` does not: a spin loop may call it while it waits).
 */
function keepTurn(ctx: ReturnType<typeof context>, atomic: number | undefined): boolean {
  const stall = ctx.stall;
  if (stall === undefined) return false;
  if ((atomic === stall.addr || atomic === YIELD_HINT) && stall.left > 0) {
    stall.left--;
    return true;
  }
  ctx.stall = undefined;
  return false;
}

/**
 * An atomic read-modify-write by this thread (compareExchange, swap, fetchOr…), under a seed: `changed` false when it
 * left the value as it was (a lock someone else holds). This thread's first such miss starts its stall (see "Fault
 * injection"); a change ends it.
 */
export function atomicOutcome(addr: number, changed: boolean): void {
  const ctx = context();
  if (!ctx.scheduled) return;
  if (changed) {
    if (ctx.stall?.addr === addr) ctx.stall = undefined;
    return;
  }
  if (ctx.stalled) return;
  ctx.stalled = true;
  ctx.stall = { addr, left: STALL_TURNS };
}

/**
 * Under a seed, true for this thread's first timed channel receive that has to
 * wait: its time runs out, the clock moved on to `deadline` (see "Fault injection").
 */
export function firstTimedReceiveRunsOut(deadline: number): boolean {
  const ctx = context();
  if (!ctx.scheduled || ctx.timedReceiveRanOut) return false;
  const h = ctx.memory.header;
  // A deadline beyond virtual time's range is no deadline (scheduledWait): a receive that waits "forever" never runs out.
  if (deadline > MAX_VCLOCK) return false;
  ctx.timedReceiveRanOut = true;
  if (deadline > h[H.vclock]!) h[H.vclock] = Math.ceil(deadline);
  return true;
}

/** Under a seed, true for this thread's first, third, fifth... Condvar wait: it returns at once, spuriously (see "Fault injection"). */
export function spuriousWakeup(): boolean {
  const ctx = context();
  if (!ctx.scheduled) return false;
  ctx.condvarWaits = (ctx.condvarWaits ?? 0) + 1;
  return ctx.condvarWaits % 2 === 1;
}

/**
 * A blocking wait under the scheduler: the thread records what it waits on
 * and gives up the turn; it gets it back once its word changes, or, with a
 * timeout, when virtual time reaches the deadline. True when woken, false
 * on timeout (the same contract as a real wait).
 */
export function scheduledWait(memory: RunMemory, me: number, absoluteIndex: number, value: number, timeoutMs: number): boolean {
  // A thread that blocks (a sleep, a lock, a recv) is not spinning: its next reads start a new count.
  reads = 0;
  const i32 = memory.i32;
  const h = memory.header;
  i32[slot(me, S.waitIndex)] = absoluteIndex;
  i32[slot(me, S.waitValue)] = value;
  // Virtual time is an Int32 of ms (~24.8 days): a deadline beyond it, like Rust's Duration::from_millis(u64::MAX), is no deadline.
  const deadline = h[H.vclock]! + Math.max(0, Math.ceil(timeoutMs));
  i32[slot(me, S.waitDeadline)] = deadline > MAX_VCLOCK ? -1 : deadline;
  for (;;) {
    if (Atomics.load(i32, absoluteIndex) !== value) return true;
    const deadline = i32[slot(me, S.waitDeadline)]!;
    if (deadline >= 0 && deadline <= h[H.vclock]!) return false;
    if (!chooseNext(memory, me)) {
      // Every thread is blocked for good: sit still until the watchdog ends the run.
      for (;;) {
        if (Atomics.load(h, H.stop) !== 0) throw new RunStopped();
        Atomics.wait(h, H.stop, 0, SLICE_MS);
      }
    }
    awaitTurn(memory, me);
  }
}

/** A thread that ends hands the turn on without waiting for it back. */
export function leaveSchedule(memory: RunMemory, me: number): void {
  if (!scheduled(memory) || Atomics.load(memory.header, H.turn) !== me) return;
  chooseNext(memory, me);
}

/** The scheduler's clock: virtual ms under a seed, real ms otherwise. */
export function now(memory: RunMemory): number {
  return scheduled(memory) ? memory.header[H.vclock]! : performance.now();
}
