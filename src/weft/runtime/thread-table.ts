/**
 * The thread table in run memory: one slot of words per live thread (its
 * state, result, name, and what it is blocked on), thread ids and their
 * slots, and taking and freeing a slot. The scheduler, the waits and the
 * supervisor's watchdog all read it; it depends on nothing of theirs.
 */
import { threadLabel } from './context.ts';
import { H, MAX_THREADS, THREAD_SLOT_WORDS, THREAD_TABLE, type RunMemory } from './memory.ts';

/** Words of a thread slot. */
export const S = {
  state: 0,
  resultPtr: 1,
  resultLen: 2,
  namePtr: 3,
  nameLen: 4,
  park: 5,
  sleep: 6,
  joined: 7, // 0 nobody yet, 1 a join (or a drop of an ended thread's handle) claimed it, -id detached, 3 being let go
  // What the thread is blocked on, while it is (runtime/wait.ts blockWhileEqual):
  waitKind: 8, // a WaitKind code (waitKindCode), 0 when not blocked
  waitObject: 9, // the primitive's address; for join, the joined thread's id
  waitLine: 10, // the reader's line and column of the blocking call (0: not located yet)
  waitColumn: 11,
  waitTimed: 12, // 1 when the wait has a time limit (sleep, recvTimeout...): not a deadlock
  blockSeq: 13, // bumped on every block, so a watchdog can tell a thread that moved on
  // For the seeded scheduler, while blocked: the absolute Int32 index and value it waits on, and its virtual deadline.
  waitIndex: 14,
  waitValue: 15,
  waitDeadline: 16, // virtual ms (H.vclock), or -1 for none
  priority: 17, // PCT priority; higher runs first
  id: 18, // the thread in this slot now (slots are reused: see `slot`)
  scoped: 19, // 1 for a scoped thread: its scope joins it, so dropping its JoinHandle does not detach it
} as const;

export const ThreadState = {
  unused: 0,
  running: 1,
  finished: 2,
  panicked: 3,
  /** Being taken by a new thread (allocateThread). */
  claiming: 4,
} as const;

/**
 * How many threads a run may have at once: running, or finished and not yet
 * joined. Thread ids keep growing, as Rust's ThreadIds do; id n lives in slot
 * (n - 1) % THREAD_SLOTS + 1, and a slot is free again once its thread has
 * been joined, or has ended detached (its JoinHandle dropped). So a program
 * that spawns and joins 5,000 threads one after another runs, as it does in
 * Rust (issue 17), and so does one that spawns 5,000 and drops their
 * handles. A spawn that finds all 1,023 places taken waits until one is
 * given back (runtime/threads.ts takeThreadSlot), as long as another thread
 * runs that could give one back.
 */
export const THREAD_SLOTS = MAX_THREADS - 1;

/** Int32 index of word `word` of thread `threadId`'s slot. */
export function slot(threadId: number, word: number): number {
  return (THREAD_TABLE >> 2) + (((threadId - 1) % THREAD_SLOTS) + 1) * THREAD_SLOT_WORDS + word;
}

/** The ids of the threads in the table now (in slot order, which is stable while they live). */
export function threadIds(i32: Int32Array): number[] {
  const end = Math.min(Atomics.load(i32, H.nextThreadId), THREAD_SLOTS + 1);
  const ids: number[] = [];
  for (let s = 1; s < end; s++) {
    const id = Atomics.load(i32, (THREAD_TABLE >> 2) + s * THREAD_SLOT_WORDS + S.id);
    if (id > 0) ids.push(id);
  }
  return ids;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Takes a fresh thread id and a free slot, and records its name; the thread
 * is `running` from now on. 0 when every slot is taken: the caller waits for
 * one (runtime/threads.ts takeThreadSlot) or says why it cannot. A place is
 * reserved by count first (H.slotsTaken), so a full table costs no thread ids
 * and a reserved place is always found.
 */
export function allocateThread(memory: RunMemory, name: string | undefined): number {
  const i32 = memory.i32;
  const header = memory.header;
  if (Atomics.add(header, H.slotsTaken, 1) >= THREAD_SLOTS) {
    Atomics.sub(header, H.slotsTaken, 1);
    return 0;
  }
  for (;;) {
    const threadId = Atomics.add(i32, H.nextThreadId, 1);
    if (Atomics.compareExchange(i32, slot(threadId, S.state), ThreadState.unused, ThreadState.claiming) !== ThreadState.unused) continue;
    // The slot's last thread was joined: its name goes, and its words start from zero.
    const oldName = i32[slot(threadId, S.namePtr)]!;
    if (oldName !== 0) memory.free(oldName);
    for (let word = S.state + 1; word < THREAD_SLOT_WORDS; word++) i32[slot(threadId, word)] = 0;
    Atomics.store(i32, slot(threadId, S.id), threadId);
    return claimed(memory, threadId, name);
  }
}

/**
 * Whether a thread other than `me` is still running: only a thread that ends
 * (and is joined, or was detached) gives a place back, and a thread that has
 * ended can be joined only by a running one. When none is, a spawn waiting
 * for a place would wait for ever.
 */
export function anotherThreadRunning(i32: Int32Array, me: number): boolean {
  for (const id of threadIds(i32)) {
    if (id !== me && Atomics.load(i32, slot(id, S.state)) === ThreadState.running) return true;
  }
  return false;
}

/** The panic of a spawn that found every place taken and no other thread that could give one back. */
export function threadTableFullMessage(i32: Int32Array): string {
  let finished = 0;
  for (const id of threadIds(i32)) if (hasEnded(i32, id)) finished++;
  return (
    `weft runs at most ${THREAD_SLOTS} threads at once in one run (running, or finished and not yet joined), and all ${THREAD_SLOTS} places are taken: ` +
    `this spawn would wait for a thread to end and give its place back, but no other thread is running, so none ever will ` +
    `(${finished} ${finished === 1 ? 'has' : 'have'} finished and ${finished === 1 ? 'waits' : 'wait'} to be joined). ` +
    'Join the handles you keep before spawning more, or drop (drop(handle)) the ones you will not join'
  );
}

/**
 * Detaches thread `threadId` (Rust: its JoinHandle dropped, not joined).
 * 'detached': it runs on, and lets its slot go when it ends. 'ended': it has
 * ended (or ended just now), and what it returned and its slot are the
 * caller's to let go (`letGo`). 'no' for a scoped thread (its scope joins it
 * whatever its handle does). The word holds -threadId while detached, so a
 * compare-exchange on it can only ever hit this thread, never a later one in
 * the same slot.
 */
export function detachThread(memory: RunMemory, threadId: number): 'detached' | 'ended' | 'no' {
  const i32 = memory.i32;
  if (Atomics.load(i32, slot(threadId, S.scoped)) === 1) return 'no';
  const joined = slot(threadId, S.joined);
  if (hasEnded(i32, threadId)) return Atomics.compareExchange(i32, joined, 0, 1) === 0 ? 'ended' : 'no';
  if (Atomics.compareExchange(i32, joined, 0, -threadId) !== 0) return 'no';
  // It may have ended between the look and the flag, after its own look for the flag (threads.ts): then it is ours.
  return hasEnded(i32, threadId) && claimDetached(memory, threadId) ? 'ended' : 'detached';
}

/** Whether thread `threadId` is detached (read by the thread as it ends: what it returns is then dropped, not kept). */
export function isDetached(memory: RunMemory, threadId: number): boolean {
  return Atomics.load(memory.i32, slot(threadId, S.joined)) === -threadId;
}

/** Takes an ended detached thread for whoever lets it go (the thread itself, or its handle's drop): one of them wins. */
export function claimDetached(memory: RunMemory, threadId: number): boolean {
  return Atomics.compareExchange(memory.i32, slot(threadId, S.joined), -threadId, 3) === -threadId;
}

function hasEnded(i32: Int32Array, threadId: number): boolean {
  const state = Atomics.load(i32, slot(threadId, S.state));
  return state === ThreadState.finished || state === ThreadState.panicked;
}

function claimed(memory: RunMemory, threadId: number, name: string | undefined): number {
  const i32 = memory.i32;
  if (name !== undefined) {
    const bytes = encoder.encode(name);
    const ptr = memory.store(bytes);
    i32[slot(threadId, S.nameLen)] = bytes.length;
    Atomics.store(i32, slot(threadId, S.namePtr), ptr);
  }
  Atomics.store(i32, slot(threadId, S.state), ThreadState.running);
  Atomics.add(i32, H.liveThreads, 1);
  return threadId;
}

/**
 * Frees a joined thread's slot for a new thread (JoinHandle.join, once it
 * has taken the result). Its name stays readable until the slot is reused.
 */
export function releaseThread(memory: RunMemory, threadId: number): void {
  const i32 = memory.i32;
  if (Atomics.load(i32, slot(threadId, S.id)) !== threadId) return;
  i32[slot(threadId, S.resultPtr)] = 0;
  i32[slot(threadId, S.resultLen)] = 0;
  Atomics.store(i32, slot(threadId, S.state), ThreadState.unused);
  // The place is free: counted back, and a spawn waiting for one woken (runtime/threads.ts takeThreadSlot).
  Atomics.sub(memory.header, H.slotsTaken, 1);
  tableChanged(memory);
}

/** A place was given back, or a thread ended: a spawn waiting for a place tries again, or learns that it never will get one. */
export function tableChanged(memory: RunMemory): void {
  Atomics.add(memory.header, H.slotsChanged, 1);
  Atomics.notify(memory.header, H.slotsChanged);
}

export function threadName(memory: RunMemory, threadId: number): string | undefined {
  // The slot has a newer thread: this one's name is gone with it.
  if (threadId !== 1 && Atomics.load(memory.i32, slot(threadId, S.id)) !== threadId) return undefined;
  const ptr = Atomics.load(memory.i32, slot(threadId, S.namePtr));
  if (ptr === 0) return undefined;
  return decoder.decode(memory.read(ptr, memory.i32[slot(threadId, S.nameLen)]!));
}

/** The most characters of a thread's name that a report shows (MAX_SHOWN_NAME_CHARS). */
export const MAX_SHOWN_NAME_CHARS = 200;

/**
 * A thread's name as the supervisor's reports show it (deadlock, time
 * limit, out of memory): cut to MAX_SHOWN_NAME_CHARS, as a name of 16 MB
 * (a program's, or bytes it wrote over the table with) made each line of
 * the report 16 MB. `current().name()` still gives the whole name.
 */
export function shownThreadName(memory: RunMemory, threadId: number): string | undefined {
  const name = threadName(memory, threadId);
  return name === undefined || name.length <= MAX_SHOWN_NAME_CHARS ? name : `${name.slice(0, MAX_SHOWN_NAME_CHARS)}…`;
}

/** Rust's `ThreadId(n)`-plus-name, as messages show a thread. */
export function describeThread(memory: RunMemory, threadId: number): string {
  return threadLabel(threadId, threadName(memory, threadId));
}
