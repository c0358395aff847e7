/**
 * The run's trace: what weft's primitives did, in order — spawn, exit,
 * block, wake, lock, unlock, send, receive — each with its thread, the
 * object (a primitive's address in run memory; the other thread's id for
 * spawn), the reader's line and a time. The page can draw a timeline from
 * it and an exercise check can assert on behaviour ("never more than one
 * holder", "joined in order").
 *
 * Off unless a run asks for it (RunOptions.trace): then the supervisor
 * makes a fixed ring of records and every event costs an atomic increment,
 * six stores and a stack walk for the line. Off, an event costs a field check.
 *
 * Time is microseconds since the run started, or, under the seeded
 * scheduler, the scheduler's step count, so a seed replays its trace
 * byte for byte.
 *
 * weft/task's executor adds its tasks (what tokio-console shows): a
 * `task-spawn` where a task is spawned, and a `task-exit` when it ends,
 * carrying its counters: polls, wakes, busy time (µs spent in its polls;
 * 0 under the seeded scheduler, where only replayable numbers are kept),
 * how it ended, and the line of the last `await` it waited at. A task's
 * idle time is its lifetime (spawn to exit) minus its busy time.
 *
 * Integrity: exercise checks judge a program by its trace, so the program
 * must not be able to write it. The ring is a SharedArrayBuffer of its own,
 * not part of run memory (a program can reach run memory: `sharedArray`
 * hands out views of it). Each worker receives it from the supervisor
 * before the program is loaded (`attachTrace`) and keeps it in this
 * module's private state; no weft API returns it. The intrinsics that touch
 * it (Atomics, the typed array constructors, the clock) are captured when
 * this module loads, also before any program code runs, so a program that
 * wraps `globalThis.Atomics` or replaces `Int32Array` sees none of the
 * ring's views go by. Whether a thread records is decided by whether its
 * worker got a ring, never by a word a program could clear.
 *
 * Layout of the ring: Int32 words [0] events claimed so far, [1] capacity,
 * then an f64 at byte 8 with the run's start (performance.timeOrigin +
 * now(), ms), word [4] flags (bit 0: record every task poll), then `capacity` records of RECORD_WORDS Int32 words from
 * byte HEADER_BYTES: kind, thread, object, line, column, time, and
 * DATA_WORDS words whose meaning depends on the kind (a task-exit's counters).
 */
import { context, hasContext, type SourceLocation, type ThreadContext } from './context.ts';
import { H } from './memory.ts';
import { runLocal } from './run-local.ts';

// Captured before any program code runs in this worker (see "Integrity").
const atomicAdd = Atomics.add;
const atomicLoad = Atomics.load;
const atomicStore = Atomics.store;
const Int32View = Int32Array;
const Float64View = Float64Array;
const clock = performance.now.bind(performance);
const timeOrigin = performance.timeOrigin;
const round = Math.round;

/**
 * New kinds go at the end: a kind's code is its position. `join`'s object is the joined thread's id. An `exit`'s data,
 * in a traced free run: [1, how long the thread's closure ran, µs] (runtime/threads.ts, timed as pieceStart says).
 */
export const TRACE_KINDS = [
  'spawn',
  'exit',
  'block',
  'wake',
  'lock',
  'unlock',
  'send',
  'recv',
  'join',
  'task-spawn',
  'task-exit',
  // A blocking weft call made inside a task (object: the task's id), at the call's line.
  'task-blocking',
  // A task suspended at an await while its thread held a weft/sync lock guard (object: the task's id), at the await's line.
  'held-across-await',
  // A message queued on / taken from a weft/task mpsc channel (object: the channel's id on its thread; data[0]: the task).
  'task-send',
  'task-recv',
  // weft/par: a join() call (object: how many joins enclose it on this thread, 0 for the outermost), at its line;
  // once both closures have returned, data: their results when numbers, and in a free run how long each took (traceResults).
  'par-join',
  // weft/par: a parallel iterator's terminal operation (object: how many items it runs over), at its line;
  // once it has returned, data: its result when a number, and in a free run how long its pieces took (traceResults).
  'par-iter',
  // weft/task: one poll of a task, recorded as it returns (object: the task's id; data: [the trace's event count and
  // time when the poll began, so a timeline can draw it as a span]), at the await it stopped at. Recorded only when the
  // run asked for polls (a timeline's run): a grading run's trace keeps its room for what its checks read.
  'task-poll',
  // weft/sync: an atomic's change made inside weft/par work (a parallel iterator's or a join's closures, a pool thread),
  // recorded only there (object: the atomic's address; data: traceParAtomic's words), at the call's line.
  'par-atomic',
  // weft/task: a value sent on a oneshot channel (object: the sending task's id on its thread, 0 outside any task;
  // data: [1 when the value is a string, number, boolean or null, its valueHash]), at the send.
  'oneshot-send',
  // An exported function of the program was entered (object: its name's key, compile/call-entries.ts), on the thread
  // that called it. No line: the key says which function, and a stack walk per call would cost a hot helper dearly.
  'call',
  // A receive on a weft/sync mpsc channel found it closed: every Sender gone, nothing left queued (object: the
  // channel), at the receive's line. What ends `for (const msg of rx)`, and a recv() that throws RecvError.
  'closed',
  // weft/thread: a Thread's unpark() (object: the id of the thread it unparks), on the thread that called it, at its line.
  'unpark',
  // weft/task: a sleep that had to wait (object: the task's id on its thread's executor, 0 outside any task; data: the
  // clock when it began waiting and its deadline, ms, rounded: virtual while time is paused, as under a seed). No line.
  'task-timer',
  // weft/par, under a seed only: one piece of a parallel iterator's work as the seed cut it (object: the par-iter
  // event's seq; data: tracePiece's words: the piece's first and past-the-end item, its result when a number, and how
  // many entries its result held when a collection), so a check can tell a piece's share from the whole answer.
  'par-piece',
  // weft/sync, in a traced run: a RwLock read guard, at its release, had its array value's items read this many times
  // (object: the lock; data: [the count]). No line.
  'read-items',
] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

/**
 * An event's data words: a task-exit's polls, wakes, busy µs, outcome (TASK_OUTCOMES index), then after the clock
 * word its timers (TIMERS_WORD: how many of its sleeps had to wait); the clock word (CLOCK_WORD) of a
 * task-spawn and a task-exit is the task runtime's clock then (ms, rounded: virtual while time is paused, as under a seed);
 * a par-iter's and a par-join's results and work (traceResults).
 */
const DATA_WORDS = 7;
const CLOCK_WORD = 4;
const TIMERS_WORD = 5;
const RECORD_WORDS = 6 + DATA_WORDS;
export const TASK_OUTCOMES = ['ok', 'panic', 'cancelled'] as const;
const HEADER_BYTES = 24;
/** Codes by name in objects without a prototype: a program that rewrites Array.prototype.indexOf cannot change what is recorded. */
const KIND_CODES: Record<string, number> = Object.create(null);
TRACE_KINDS.forEach((kind, i) => (KIND_CODES[kind] = i + 1));
const OUTCOME_CODES: Record<string, number> = Object.create(null);
TASK_OUTCOMES.forEach((outcome, i) => (OUTCOME_CODES[outcome] = i));
const SEQ = 0;
const CAPACITY = 1;
/** Word 4 (after the f64 start at bytes 8–15): what else to record; bit 0, every task poll. */
const FLAGS = 4;
const FLAG_POLLS = 1;

/** Makes the ring for a run that wants a trace (the supervisor, before any thread starts); every worker of the run gets it. */
export function createTrace(capacity: number, options: { polls?: boolean } = {}): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * RECORD_WORDS * 4);
  new Int32Array(buffer)[CAPACITY] = capacity;
  if (options.polls) new Int32Array(buffer)[FLAGS] = FLAG_POLLS;
  new Float64Array(buffer, 8, 1)[0] = performance.timeOrigin + performance.now();
  return buffer;
}

/** This worker's view of the run's ring, once attached. */
let ring: { i32: Int32Array; capacity: number; start: number; polls: boolean } | undefined;

/** Gives this worker the run's ring (or none: the run is not traced). Called before the program is loaded. */
export function attachTrace(buffer: SharedArrayBuffer | undefined): void {
  // Not `instanceof`: in a worker that served an earlier run of the program,
  // that would call a `Symbol.hasInstance` the program may have put on
  // SharedArrayBuffer, with the ring. A typed array's constructor asks the
  // buffer nothing a program can hook, and throws for anything but a buffer.
  ring = undefined;
  callsOf = 0;
  if (buffer === undefined) return;
  const i32 = new Int32View(buffer);
  ring = { i32, capacity: i32[CAPACITY]!, start: new Float64View(buffer, 8, 1)[0]!, polls: (i32[FLAGS]! & FLAG_POLLS) !== 0 };
}

/** Whether this worker records events (it was given a ring). */
export function traceAttached(): boolean {
  return ring !== undefined;
}

/**
 * In a traced run, the trace clock's time now and the reader's line that is
 * running (for a console line placed on the timeline); undefined when the
 * run is not traced.
 */
export function traceStamp(): { time: number; line?: number } | undefined {
  const r = ring;
  if (r === undefined || !hasContext()) return undefined;
  const ctx = context();
  const time = timeNow(ctx, r);
  const line = locateNow(ctx)?.line;
  return line === undefined ? { time } : { time, line };
}

/** Time this worker has spent finding the reader's line for its events, ms (locateNow). */
let locating = 0;

/**
 * The reader's line running now, for an event: a stack walk, the trace's own cost (the first in a worker loads the
 * program's source map, tens of ms), kept apart so that a thread's running time can leave it out (runtime/threads.ts).
 */
function locateNow(ctx: ThreadContext): SourceLocation | undefined {
  // A full ring drops the event (record): its line is not looked for. Finding one takes a stack and the source map
  // (~8 µs in Chromium), so a page's traced Run of a loop of 200,000 locks took 3.3 s a round, where untraced it
  // takes ~9 ms: past the first 20,000 events it now runs at nearly untraced speed.
  const r = ring;
  if (r === undefined || Atomics.load(r.i32, SEQ) >= r.capacity) return undefined;
  const began = clock();
  const at = ctx.locate(new Error().stack);
  locating += clock() - began;
  return at;
}

/** How long this worker has spent finding lines for trace events so far, ms: take the difference over a span to leave it out of the span. */
export function locatingMs(): number {
  return locating;
}

/**
 * `__weft.entered(key)`: an exported function of the program was entered (compile/call-entries.ts). Untraced, a
 * field check.
 */
export function traceCall(key: number): void {
  if (ring === undefined || !hasContext()) return;
  const ctx = context();
  if (!ctx.traced) return;
  // At most CALLS_PER_THREAD events per function and thread: a helper called in a hot loop must not fill the ring
  // and push out the events the checks read. A worker runs one thread at a time: the counts start again with each.
  if (callsOf !== ctx.threadId) {
    callsOf = ctx.threadId;
    callCounts = Object.create(null) as Record<number, number>;
  }
  const n = (callCounts[key] ?? 0) + 1;
  callCounts[key] = n;
  if (n <= CALLS_PER_THREAD) record(ctx, 'call', key, undefined, undefined);
}

/** How many entries of one exported function a thread records (traceCall); checks count up to this many. */
export const CALLS_PER_THREAD = 1000;
/** The thread whose calls `callCounts` counts, by function key (a prototype-less object: a program cannot hook it). */
let callsOf = 0;
let callCounts: Record<number, number> = Object.create(null) as Record<number, number>;

/** Records one event of the calling thread, if the run is traced; `data`, the kind's own words (a block's wait kind). */
export function traceEvent(kind: TraceKind, object: number, data?: number[]): void {
  const ctx = context();
  if (!ctx.traced) return;
  record(ctx, kind, object, locateNow(ctx), data);
}

// A number as two Int32 words (its float64 bits), for events that carry a value.
const valueBits = new Float64View(1);
const valueWords = new Int32View(valueBits.buffer);

/**
 * An event that carries a value when it is a number: a Mutex's value as
 * its holder unlocks it, what a joined thread returned. Checks compare these
 * with what the program claims (a total it prints, sums it returns), so a
 * result has to come from the work the threads did. Data words: [1, the
 * float64's low word, its high word], or [0] for a value that is not a number.
 */
export function traceValue(kind: 'unlock' | 'join', object: number, value: unknown): void {
  const ctx = context();
  if (!ctx.traced) return;
  let data: number[] = [0];
  if (typeof value === 'number') {
    valueBits[0] = value;
    data = [1, valueWords[0]!, valueWords[1]!];
  } else if (kind === 'join' && value !== null && typeof value === 'object') {
    data = numbersFilter(value);
  }
  record(ctx, kind, object, locateNow(ctx), data);
}

// The numbers inside a value that is not one (a thread that returns an array of results, a [key, value] pair, an
// object): a Bloom filter of 192 bits in data words 1–6, flag NUMBERS_FILTER in word 0, so a check can ask
// whether a number it expects came back inside what a thread returned (numbersFilterHas). It never misses a number
// that is there; it may say yes for one that is not, with odds under 1 in 1,000 for a value of 4 numbers, about 1 in 30
// for 24. At most FILTER_LIMIT values are looked at, arrays, plain objects and Maps FILTER_DEPTH deep.
const NUMBERS_FILTER = 8;
/** A par-join's first or second half returned an array: its length is in data word 1 or 3 (traceResults). */
const JOIN_LENGTH_A = 16;
const JOIN_LENGTH_B = 32;
/** A par-iter's piece count is in data word 5 (traceResults, under a seed). */
const ITER_PIECES = 64;
/** With ITER_PIECES: the iterator ran on a pool the program built, whose thread count is in data word 6. */
const ITER_POOL = 128;
/** Under a seed, a par-join's closures were handed numbers in order: the score and length in data words 5 and 6 (traceJoinOrder). */
const JOIN_ORDER = 256;
const FILTER_WORDS = 6;
/** A par-iter's filter has the 4 words its result's numbers would use (1–4): its work keeps words 5 and 6. */
const ITER_FILTER_WORDS = 4;
const FILTER_LIMIT = 4096;
const FILTER_DEPTH = 8;
const isArray = Array.isArray;
const ownKeys = Object.keys;
const prototypeOf = Object.getPrototypeOf;
const toNumber = Number;
const mapForEach = Map.prototype.forEach;
const apply = Reflect.apply;
const imul = Math.imul;

function numbersFilter(value: object, words = FILTER_WORDS): number[] {
  const data = [NUMBERS_FILTER];
  for (let i = 0; i < words; i++) data[1 + i] = 0;
  let seen = 0;
  const visit = (v: unknown, depth: number): void => {
    if (seen >= FILTER_LIMIT) return;
    seen++; // every value looked at counts, numbers or not: a huge array of strings costs no more than FILTER_LIMIT steps
    if (typeof v === 'number' || typeof v === 'bigint') {
      const bits = filterBits(toNumber(v), words * 32);
      for (let i = 0; i < 3; i++) data[1 + (bits[i]! >>> 5)]! |= 1 << (bits[i]! & 31);
      return;
    }
    if (v === null || typeof v !== 'object' || depth >= FILTER_DEPTH) return;
    if (isArray(v)) {
      for (let i = 0; i < v.length && seen < FILTER_LIMIT; i++) visit(v[i], depth + 1);
      return;
    }
    const proto = prototypeOf(v);
    // Plain objects only (their prototype is a realm's Object.prototype, or none), never a class's instance and its
    // getters; a Map's values are read with Map.prototype.forEach as it was when this module loaded.
    if (proto !== null && prototypeOf(proto) !== null) {
      try {
        apply(mapForEach, v, [(item: unknown) => visit(item, depth + 1)]);
      } catch {
        // not a Map
      }
      return;
    }
    const keys = ownKeys(v);
    for (let i = 0; i < keys.length && seen < FILTER_LIMIT; i++) visit((v as Record<string, unknown>)[keys[i]!], depth + 1);
  };
  visit(value, 0);
  return data;
}

/** MurmurHash3's finalizer: every bit of `h` moves every bit of the result. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The filter's three bit positions for a number, out of `size` (double hashing of its float64 bits). */
function filterBits(n: number, size: number): [number, number, number] {
  valueBits[0] = n === 0 ? 0 : n; // -0 is 0
  const h1 = mix(valueWords[0]! ^ mix(valueWords[1]!)) >>> 0;
  const h2 = (mix(h1 ^ 0x9e3779b9) | 1) >>> 0;
  return [h1 % size, (h1 + h2) % size, (h1 + 2 * h2) % size];
}

/** The Bloom filter `traceValue` recorded for a join's value that is not a number, or undefined. */
export function recordedNumbersFilter(data: readonly number[], words = FILTER_WORDS): number[] | undefined {
  return (data[0]! & NUMBERS_FILTER) === 0 ? undefined : data.slice(1, 1 + words);
}

/** The Bloom filter `traceResults` recorded for a par-iter's result that is not a number, or undefined. */
export function recordedIterFilter(data: readonly number[]): number[] | undefined {
  return recordedNumbersFilter(data, ITER_FILTER_WORDS);
}

/** Whether `n` may be among the numbers a recorded filter was made of (never false when it is). */
export function numbersFilterHas(filter: readonly number[], n: number): boolean {
  const bits = filterBits(n, filter.length * 32);
  for (let i = 0; i < 3; i++) if (((filter[bits[i]! >>> 5]! >>> (bits[i]! & 31)) & 1) === 0) return false;
  return true;
}

/**
 * Whether this thread is running weft/par work, so that its atomics' changes are traced (traceParAtomic): a count,
 * raised around a parallel iterator's or a join's work on the calling thread (enterParWork / leaveParWork), and for
 * good on a pool's own threads. A plain increment: it costs nothing worth counting when the run is not traced.
 */
let parWork = 0;
runLocal(() => (parWork = 0)); // a worker that was a pool's thread may serve the next run as a plain one

export function enterParWork(): void {
  parWork++;
}

export function leaveParWork(): void {
  parWork--;
}

/** True when an atomic's change here is to be traced: the run is traced and this thread is in weft/par work. */
export function tracingParAtomics(): boolean {
  return parWork > 0 && ring !== undefined && hasContext() && context().traced === true;
}

/**
 * An atomic's change inside weft/par work (call only when `tracingParAtomics()`): the value before it (undefined for
 * a store, which does not read it) and after, each when it is a number (bigints as numbers, booleans as 0 and 1).
 * A check can tell a total the pool's closures built up in an atomic, change by change, from one stored in whole.
 * Recorded while the ring is less than half full only (a loop of a million fetchAdds would fill it).
 * Data words: [1 if `before` is there | 2 if `after` is, before's float64 as two words, after's].
 */
export function traceParAtomic(atomic: number, before: unknown, after: unknown): void {
  // A parallel loop may change an atomic millions of times: these events stop once the ring is half full, so the
  // events that come after (joins, exits, what a check reads last) always have room.
  const r = ring!;
  if (atomicLoad(r.i32, SEQ) >= r.capacity >> 1) return;
  const ctx = context();
  const data = [0, 0, 0, 0, 0];
  const asNumber = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? toNumber(v) : v);
  const b = asNumber(before);
  const a = asNumber(after);
  if (typeof b === 'number') {
    valueBits[0] = b;
    data[0] |= 1;
    data[1] = valueWords[0]!;
    data[2] = valueWords[1]!;
  }
  if (typeof a === 'number') {
    valueBits[0] = a;
    data[0] |= 2;
    data[3] = valueWords[0]!;
    data[4] = valueWords[1]!;
  }
  record(ctx, 'par-atomic', atomic, locateNow(ctx), data);
}

/**
 * A 32-bit hash of a value that is a string, a number, a boolean or null (undefined for anything else): what a
 * oneshot-send carries, so a check can ask whether a value it expects is what a task sent, without the trace holding
 * the value. FNV-1a over a type tag and the string's UTF-16 units, or the number's float64 words.
 */
export function valueHash(value: unknown): number | undefined {
  let h = 0x811c9dc5;
  const step = (unit: number) => (h = imul(h ^ unit, 16777619));
  if (value === null) step(1);
  else if (typeof value === 'boolean') step(value ? 3 : 2);
  else if (typeof value === 'number') {
    step(4);
    valueBits[0] = value === 0 ? 0 : value;
    step(valueWords[0]!);
    step(valueWords[1]!);
  } else if (typeof value === 'string') {
    step(5);
    for (let i = 0; i < value.length; i++) step(value.charCodeAt(i));
  } else return undefined;
  return h | 0;
}

/** A value sent on a weft/task oneshot channel by task `taskId` (0: outside any task); call only when `tracing()`. */
export function traceOneshotSend(taskId: number, value: unknown): void {
  const ctx = context();
  const hash = valueHash(value);
  record(ctx, 'oneshot-send', taskId, locateNow(ctx), hash === undefined ? [0] : [1, hash]);
}

/** Reads back a oneshot-send's hash, when it has one. */
export function recordedValueHash(data: readonly number[]): number | undefined {
  return (data[0]! & 1) === 0 ? undefined : data[1]!;
}

/** Reads back what traceParAtomic recorded. */
export function recordedAtomicChange(data: readonly number[]): { before?: number; after?: number } {
  const read = (lo: number, hi: number) => new Float64Array(new Int32Array([lo, hi]).buffer)[0]!;
  return {
    ...((data[0]! & 1) !== 0 ? { before: read(data[1]!, data[2]!) } : {}),
    ...((data[0]! & 2) !== 0 ? { after: read(data[3]!, data[4]!) } : {}),
  };
}

/**
 * An event whose values are known only once the work it marks is done: a
 * parallel iterator's result (par-iter), a join's two results (par-join).
 * It is recorded now, where the work starts (so a timeline places it there),
 * and `traceResults` adds the values later; returns the record's place in
 * the ring for it, or -1 when nothing was recorded.
 */
export function traceEventWithResults(kind: 'par-iter' | 'par-join', object: number): number {
  const ctx = context();
  if (!ctx.traced) return -1;
  return record(ctx, kind, object, locateNow(ctx), undefined);
}

/**
 * How long a piece of work took on the calling thread, in µs, for the
 * par-iter and par-join events and a thread's exit: `pieceStart()` before it, `pieceMicros`
 * after. Only in a traced free run (-1 and 0 otherwise): under a seed only
 * replayable numbers go in the trace. The clock is the one captured when
 * this module loaded, so a program that replaces `performance.now` cannot
 * make its pieces look busy or idle.
 */
export function pieceStart(): number {
  if (ring === undefined || !hasContext()) return -1;
  const ctx = context();
  return ctx.traced && !ctx.scheduled ? clock() : -1;
}

/**
 * With `located` (locatingMs() when the piece started), the time this worker spent since finding lines for trace
 * events is left out: the trace's cost is not the piece's work (a thread's running time, runtime/threads.ts).
 */
export function pieceMicros(started: number, located?: number): number {
  if (started < 0) return 0;
  const traceCost = located === undefined ? 0 : locating - located;
  const micros = round((clock() - started - traceCost) * 1000);
  return micros < 0 ? 0 : micros;
}

/**
 * How much work the pool did for a par-iter or par-join event, in µs: a
 * parallel iterator's pieces together and its longest piece, on whatever
 * threads ran them; a join's two closures.
 */
export interface PieceWork {
  first: number;
  second: number;
}

/**
 * Adds to the event at `at` (traceEventWithResults) what the work returned,
 * each value when it is a number, so checks can tell a result the pool
 * computed from one computed elsewhere, and, when it was timed (a free run),
 * how long the work took (PieceWork), so they can tell work done in the pool
 * from a value worked out before and passed through it. Data words: [a bit
 * per value that is a number (1: the first, 2: the second; 4: timed), the
 * first's float64 as two words, the second's, the work's two µs counts]; the
 * first value alone is what `recordedValue` reads.
 */
export function traceResults(at: number, first: unknown, second?: unknown, work?: PieceWork, joined = false, pieces?: number, poolThreads?: number): void {
  const r = ring;
  if (r === undefined || at < 0 || at >= r.capacity) return;
  // Plain stores only, no array methods: a program may have rewritten Array.prototype (see "Integrity").
  const i32 = r.i32;
  const data = HEADER_BYTES / 4 + at * RECORD_WORDS + 6;
  let numbers = 0;
  if (typeof first === 'number') {
    valueBits[0] = first;
    numbers |= 1;
    i32[data + 1] = valueWords[0]!;
    i32[data + 2] = valueWords[1]!;
  } else if (joined && sequenceLength(first) !== undefined) {
    numbers |= JOIN_LENGTH_A;
    i32[data + 1] = sequenceLength(first)!;
  }
  if (typeof second === 'number') {
    valueBits[0] = second;
    numbers |= 2;
    i32[data + 3] = valueWords[0]!;
    i32[data + 4] = valueWords[1]!;
  } else if (joined) {
    // A par-join's halves that returned arrays (a quicksort's sorted sides): their lengths, in the words a number would take.
    const length = sequenceLength(second);
    if (length !== undefined) {
      numbers |= JOIN_LENGTH_B;
      i32[data + 3] = length;
    }
  } else if (second === undefined && first !== null && typeof first === 'object') {
    // A par-iter's result that holds numbers (fold and reduce's counts): a Bloom filter of them in words 1–4.
    const filter = numbersFilter(first, ITER_FILTER_WORDS);
    numbers |= NUMBERS_FILTER;
    for (let i = 0; i < ITER_FILTER_WORDS; i++) i32[data + 1 + i] = filter[1 + i]!;
  }
  if (work !== undefined) {
    numbers |= 4;
    i32[data + 5] = work.first;
    i32[data + 6] = work.second;
  } else if (pieces !== undefined) {
    // Under a seed (no work timed): how many pieces a parallel iterator's work was cut into, in the work's first word.
    numbers |= ITER_PIECES;
    i32[data + 5] = pieces;
    if (poolThreads !== undefined) {
      numbers |= ITER_POOL;
      i32[data + 6] = poolThreads;
    }
  }
  i32[data] = numbers | (i32[data]! & JOIN_ORDER); // traceJoinOrder's score, recorded before the closures ran, stays
}

/** Reads back what `traceValue` recorded: the number, or undefined. */
export function recordedValue(data: readonly number[]): number | undefined {
  if ((data[0]! & 1) === 0) return undefined;
  const words = new Int32Array(2);
  words[0] = data[1]!;
  words[1] = data[2]!;
  return new Float64Array(words.buffer)[0];
}

/** Reads back both values `traceResults` recorded: each number, or undefined. */
export function recordedResults(data: readonly number[]): [number | undefined, number | undefined] {
  const read = (i: number) => {
    if ((data[0]! & (1 << i)) === 0) return undefined;
    const words = new Int32Array([data[1 + 2 * i]!, data[2 + 2 * i]!]);
    return new Float64Array(words.buffer)[0];
  };
  return [read(0), read(1)];
}

/** An array's or a typed array's length; undefined for anything else. */
function sequenceLength(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { length: number }).length;
  return undefined;
}

/** Captured sequences shorter than this are not scored: a pivot's three candidates say nothing. */
const ORDER_MIN = 16;

/**
 * Under a seed, before a par-join's closures run: how far from sorted the numbers they were handed are, so a check
 * can tell a join whose halves sort their sides from one whose halves pass through numbers sorted before it (a
 * quicksort that sorts the whole array first, then partitions the sorted copy with join). Looks at each captured
 * array or typed array of ORDER_MIN to FILTER_LIMIT numbers (and those one level inside a captured plain object) and
 * keeps the one nearest to sorted: its score is min(inversions, pairs - inversions) / pairs in thousandths (0 sorted
 * ascending or descending, about 500 shuffled) in data word 5, its length in word 6. O(n log n) a sequence, only
 * in seeded traced runs (a free run records the halves' work instead). Plain loops: the program may have rewritten
 * Array.prototype.
 */
export function traceJoinOrder(at: number, capturesA: unknown, capturesB: unknown): void {
  const r = ring;
  if (r === undefined || at < 0 || at >= r.capacity) return;
  const ctx = context();
  if (!ctx.scheduled) return;
  let best = -1;
  let bestLength = 0;
  const score = (v: unknown): void => {
    const n = sequenceLength(v);
    if (n === undefined || n < ORDER_MIN || n > FILTER_LIMIT) return;
    const xs = new Float64Array(n);
    const seq = v as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) {
      const x = seq[i];
      if (typeof x !== 'number' || x !== x) return; // numbers only (NaN has no order)
      xs[i] = x;
    }
    const pairs = (n * (n - 1)) / 2;
    const inv = inversions(xs, new Float64Array(n), 0, n);
    const s = Math.round((1000 * Math.min(inv, pairs - inv)) / pairs);
    if (best < 0 || s < best) {
      best = s;
      bestLength = n;
    }
  };
  const visit = (captures: unknown): void => {
    if (captures === null || typeof captures !== 'object') return;
    const keys = ownKeys(captures);
    for (let k = 0; k < keys.length; k++) {
      const v = (captures as Record<string, unknown>)[keys[k]!];
      score(v);
      if (v !== null && typeof v === 'object' && !isArray(v) && !ArrayBuffer.isView(v) && prototypeOf(v) === Object.prototype) {
        const inner = ownKeys(v);
        for (let j = 0; j < inner.length && j < 64; j++) score((v as Record<string, unknown>)[inner[j]!]);
      }
    }
  };
  visit(capturesA);
  visit(capturesB);
  if (best < 0) return;
  const i32 = r.i32;
  const data = HEADER_BYTES / 4 + at * RECORD_WORDS + 6;
  i32[data] = i32[data]! | JOIN_ORDER;
  i32[data + 5] = best;
  i32[data + 6] = bestLength;
}

/** Inversions in xs[lo, hi), merge-sorting it in place (tmp: scratch of the same length). */
function inversions(xs: Float64Array, tmp: Float64Array, lo: number, hi: number): number {
  if (hi - lo < 2) return 0;
  const mid = (lo + hi) >> 1;
  let count = inversions(xs, tmp, lo, mid) + inversions(xs, tmp, mid, hi);
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    if (xs[j]! < xs[i]!) {
      count += mid - i;
      tmp[k++] = xs[j++]!;
    } else tmp[k++] = xs[i++]!;
  }
  while (i < mid) tmp[k++] = xs[i++]!;
  while (j < hi) tmp[k++] = xs[j++]!;
  for (let m = lo; m < hi; m++) xs[m] = tmp[m]!;
  return count;
}

/** Reads back traceJoinOrder's score (thousandths, 0 sorted) and the length of the sequence it scored. */
export function recordedJoinOrder(data: readonly number[]): { score: number; length: number } | undefined {
  return (data[0]! & JOIN_ORDER) === 0 ? undefined : { score: data[5]!, length: data[6]! };
}

/** Reads back the lengths of a par-join's halves' results that were arrays (traceResults with `joined`). */
export function recordedJoinLengths(data: readonly number[]): [number | undefined, number | undefined] {
  return [(data[0]! & JOIN_LENGTH_A) === 0 ? undefined : data[1]!, (data[0]! & JOIN_LENGTH_B) === 0 ? undefined : data[3]!];
}

/** Reads back the thread count of the pool a par-iter ran on under a seed, when it was one the program built. */
export function recordedIterPool(data: readonly number[]): number | undefined {
  return (data[0]! & ITER_POOL) === 0 ? undefined : data[6]!;
}

/** Reads back how many pieces a par-iter's work was cut into under a seed, when `traceResults` recorded it. */
export function recordedIterPieces(data: readonly number[]): number | undefined {
  return (data[0]! & ITER_PIECES) === 0 ? undefined : data[5]!;
}

/** Reads back the work `traceResults` recorded (µs), when it was timed. */
export function recordedWork(data: readonly number[]): PieceWork | undefined {
  return (data[0]! & 4) === 0 ? undefined : { first: data[5]!, second: data[6]! };
}

/** True when this thread's events are recorded (so callers can skip gathering what an event would carry). */
export function tracing(): boolean {
  return hasContext() && context().traced === true;
}

/** A task's spawn, at the spawn's line, with the task runtime's clock (ms); call only when `tracing()`. */
export function traceTaskSpawn(taskId: number, clockMs: number): void {
  const ctx = context();
  const data = [0, 0, 0, 0, 0];
  data[CLOCK_WORD] = round(clockMs);
  record(ctx, 'task-spawn', taskId, locateNow(ctx), data);
}

// Taken when this module loads: a program that rewrites Map.prototype or Object.keys cannot change what is recorded.
const pieceMapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const pieceSetSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const pieceApply = Reflect.apply;
const pieceKeys = Object.keys;
const pieceIsArray = Array.isArray;
const PieceMap = Map;
const pieceIsView = ArrayBuffer.isView;
const PieceDataView = DataView;
const pieceTypedLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, 'length')!.get!;
const PieceSet = Set;

/**
 * One piece of a seeded parallel iterator's work (iter.ts): items [lo, hi) of the iterator at event `at`, and its
 * result: data [flags (1: a number, 2: a collection's size, 4: an array's numbers), lo, hi, the number's two words, the size,
 * the numbers in the array and in the arrays it holds]. Read with
 * recordedPiece. No line: the par-iter event has it.
 */
export function tracePiece(at: number, lo: number, hi: number, part: unknown): void {
  const ctx = context();
  if (!ctx.traced || at < 0) return;
  let flags = 0;
  let size = 0;
  let cells = 0;
  let a = 0;
  let b = 0;
  if (typeof part === 'number') {
    flags = 1;
    valueBits[0] = part;
    a = valueWords[0]!;
    b = valueWords[1]!;
  } else if (part instanceof PieceMap) {
    flags = 2;
    size = pieceApply(pieceMapSize, part, []) as number;
  } else if (part instanceof PieceSet) {
    flags = 2;
    size = pieceApply(pieceSetSize, part, []) as number;
  } else if (pieceIsArray(part)) {
    flags = 6;
    size = part.length;
    // And how many numbers it holds, in it or in arrays and typed arrays in it (a collected row of pixels per item).
    for (let i = 0; i < size; i++) {
      const item: unknown = part[i];
      if (typeof item === 'number') cells++;
      else if (pieceIsArray(item)) {
        for (let j = 0; j < item.length; j++) if (typeof item[j] === 'number') cells++;
      } else if (pieceIsView(item) && !(item instanceof PieceDataView)) cells += pieceApply(pieceTypedLength, item, []) as number;
    }
  } else if (part !== null && typeof part === 'object') {
    flags = 2;
    size = pieceKeys(part).length;
  }
  record(ctx, 'par-piece', at, undefined, [flags, lo, hi, a, b, size, cells]);
}

/** Reads back what tracePiece recorded. */
export function recordedPiece(data: readonly number[]): { lo: number; hi: number; value?: number; size?: number; numbers?: number } {
  const words = new Int32Array([data[3]!, data[4]!]);
  return {
    lo: data[1]!,
    hi: data[2]!,
    ...((data[0]! & 1) !== 0 ? { value: new Float64Array(words.buffer)[0]! } : {}),
    ...((data[0]! & 2) !== 0 ? { size: data[5]! } : {}),
    ...((data[0]! & 4) !== 0 ? { numbers: data[6]! } : {}),
  };
}

/** A weft/task sleep of task `taskId` that has to wait, from `fromMs` to its deadline `toMs` (the task runtime's clock); call only when `tracing()`. */
export function traceTaskTimer(taskId: number, fromMs: number, toMs: number): void {
  record(context(), 'task-timer', taskId, undefined, [round(fromMs), round(toMs)]);
}

/** A task's end, with its counters, the line it last awaited at and the task runtime's clock (ms) (weft/task's executor); call only when `tracing()`. */
export function traceTaskExit(
  taskId: number,
  line: number,
  column: number,
  polls: number,
  wakes: number,
  busyMicros: number,
  outcome: (typeof TASK_OUTCOMES)[number],
  clockMs: number,
  timers = 0,
): void {
  const ctx = context();
  const scheduled = ctx.scheduled === true;
  const data = [polls, wakes, scheduled ? 0 : round(busyMicros), OUTCOME_CODES[outcome]!, round(clockMs), timers];
  record(ctx, 'task-exit', taskId, line > 0 ? { line, column } : undefined, data);
}

/** A message queued on (task-send) or taken from (task-recv) a weft/task mpsc channel by task `taskId` (0: outside any task), at the reader's line; call only when `tracing()`. */
export function traceTaskMessage(kind: 'task-send' | 'task-recv', channel: number, taskId: number, awaitAt: () => SourceLocation | undefined): void {
  const ctx = context();
  // A send or receive that completes in a later poll runs under the executor, not the reader's code: then the await it finishes says where.
  record(ctx, kind, channel, locateNow(ctx) ?? awaitAt(), [taskId, 0, 0, 0, 0]);
}

/** A weft/sync channel's send, with the channel's capacity (-1 unbounded): nothing is allocated when the run is not traced. */
export function traceSend(channel: number, capacity: number): void {
  const ctx = context();
  if (!ctx.traced) return;
  record(ctx, 'send', channel, locateNow(ctx), [capacity + 2]);
}

/** A send's channel capacity, from its first data word (capacity + 2): -1 unbounded, 0 rendezvous; undefined when not recorded. */
export function channelCapacityOf(data: readonly number[]): number | undefined {
  return data[0]! > 0 ? data[0]! - 2 : undefined;
}

/** A task-exit's count of sleeps that waited. */
export function timersOf(data: readonly number[]): number {
  return data[TIMERS_WORD] ?? 0;
}

/** The task runtime's clock (ms) carried by a task-spawn or task-exit's data words. */
export function taskClockOf(data: readonly number[]): number {
  return data[CLOCK_WORD] ?? 0;
}

/** An event about a task (weft/task's executor) at a place in the reader's source; call only when `tracing()`. */
export function traceTaskEvent(kind: 'task-blocking' | 'held-across-await', taskId: number, at: SourceLocation | undefined): void {
  record(context(), kind, taskId, at, undefined);
}

/** Whether this thread records every task poll (a traced run that asked for polls); read once by an executor. */
export function tracingPolls(): boolean {
  return ring?.polls === true && hasContext() && context().traced === true;
}

/** Where a poll begins: the trace's event count and time now; call only when `tracingPolls()`. */
export function pollBegins(): { seq: number; time: number } {
  const r = ring!;
  return { seq: atomicLoad(r.i32, SEQ), time: timeNow(context(), r) };
}

/** A task's poll, from `begun` to now, stopped at `at` (its await; none when it ended); call only when `tracingPolls()`. */
export function traceTaskPoll(taskId: number, begun: { seq: number; time: number }, at: SourceLocation | undefined): void {
  record(context(), 'task-poll', taskId, at, [begun.seq, begun.time, 0, 0, 0]);
}

/** The trace's clock: µs since the run started, or the seeded scheduler's step. */
function timeNow(ctx: ThreadContext, r: NonNullable<typeof ring>): number {
  return ctx.scheduled ? atomicLoad(ctx.memory.header, H.step) : round((timeOrigin + clock() - r.start) * 1000);
}

/** Writes one record; returns its place in the ring, or -1 when there was none (untraced, or full). */
function record(ctx: ThreadContext, kind: TraceKind, object: number, location: SourceLocation | undefined, data: number[] | undefined): number {
  const r = ring;
  if (r === undefined) return -1;
  const i32 = r.i32;
  const seq = atomicAdd(i32, SEQ, 1);
  if (seq >= r.capacity) return -1; // full: the supervisor reports how many were dropped
  const time = timeNow(ctx, r);
  const base = HEADER_BYTES / 4 + seq * RECORD_WORDS;
  i32[base] = KIND_CODES[kind]!;
  i32[base + 1] = ctx.threadId;
  i32[base + 2] = object;
  i32[base + 3] = location?.line ?? 0;
  i32[base + 4] = location?.column ?? 0;
  for (let i = 0; i < DATA_WORDS; i++) i32[base + 6 + i] = data?.[i] ?? 0;
  atomicStore(i32, base + 5, time);
  return seq;
}

export interface RawTraceEvent {
  seq: number;
  kind: TraceKind;
  threadId: number;
  object: number;
  line: number;
  column: number;
  time: number;
  /** The kind's own words (a task-exit's polls, wakes, busy µs, outcome index). */
  data: number[];
}

/** Reads the ring back (the supervisor, once the run is over). */
export function readTrace(buffer: SharedArrayBuffer): { events: RawTraceEvent[]; dropped: number } {
  const i32 = new Int32Array(buffer);
  const total = Atomics.load(i32, SEQ);
  const capacity = i32[CAPACITY]!;
  const events: RawTraceEvent[] = [];
  for (let seq = 0; seq < Math.min(total, capacity); seq++) {
    const base = HEADER_BYTES / 4 + seq * RECORD_WORDS;
    const kind = i32[base]!;
    if (kind === 0) continue; // claimed by a thread the run's end cut off mid-write
    events.push({
      seq,
      kind: TRACE_KINDS[kind - 1]!,
      threadId: i32[base + 1]!,
      object: i32[base + 2]!,
      line: i32[base + 3]!,
      column: i32[base + 4]!,
      time: i32[base + 5]!,
      data: Array.from(i32.subarray(base + 6, base + RECORD_WORDS)),
    });
  }
  return { events, dropped: Math.max(0, total - capacity) };
}
