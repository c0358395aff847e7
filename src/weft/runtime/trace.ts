/**
 * The run's trace: what weft's primitives did, in order — spawn, exit,
 * block, wake, lock, unlock, send, receive — each with its thread, the
 * object (a primitive's address in run memory; the other thread's id for
 * spawn), the reader's line and a time. The page can draw a timeline from
 * it and an exercise check can assert on behaviour ("never more than one
 * holder", "joined in order").
 *
 * Off unless a run asks for it (RunOptions.trace): then the supervisor
 * allocates a fixed ring of records in run memory and every event costs an
 * atomic increment, six stores and a stack walk for the line. Off, an event
 * costs one load of a header word.
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
 * Layout of the ring (at H.traceBuffer): an f64 with the run's start
 * (performance.timeOrigin + now(), ms), then `capacity` records of
 * RECORD_WORDS Int32 words: kind, thread, object, line, column, time, and
 * DATA_WORDS words whose meaning depends on the kind (a task-exit's counters).
 */
import { context, hasContext, type SourceLocation, type ThreadContext } from './context.ts';
import { H, type RunMemory } from './memory.ts';

/** New kinds go at the end: a kind's code is its position. `join`'s object is the joined thread's id. */
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
  // weft/par: a join() call (object: how many joins enclose it on this thread, 0 for the outermost), at its line.
  'par-join',
  // weft/par: a parallel iterator's terminal operation (object: how many items it runs over), at its line.
  'par-iter',
] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

/**
 * An event's data words: a task-exit's polls, wakes, busy µs, outcome (TASK_OUTCOMES index); the last word of a
 * task-spawn and a task-exit is the task runtime's clock then (ms, rounded: virtual while time is paused, as under a seed).
 */
const DATA_WORDS = 5;
const CLOCK_WORD = 4;
const RECORD_WORDS = 6 + DATA_WORDS;
export const TASK_OUTCOMES = ['ok', 'panic', 'cancelled'] as const;
const HEADER_BYTES = 8;

/** Allocates the ring for a run that wants a trace (the supervisor, before any thread starts). */
export function startTrace(memory: RunMemory, capacity: number): void {
  const at = memory.alloc(HEADER_BYTES + capacity * RECORD_WORDS * 4);
  memory.f64[at >> 3] = performance.timeOrigin + performance.now();
  memory.header[H.traceCapacity] = capacity;
  Atomics.store(memory.header, H.traceBuffer, at);
}

/** Records one event of the calling thread, if the run is traced. */
export function traceEvent(kind: TraceKind, object: number): void {
  const ctx = context();
  if (!ctx.traced) return;
  record(ctx, kind, object, ctx.locate(new Error().stack), undefined);
}

/** True when this thread's events are recorded (so callers can skip gathering what an event would carry). */
export function tracing(): boolean {
  return hasContext() && context().traced === true;
}

/** A task's spawn, at the spawn's line, with the task runtime's clock (ms); call only when `tracing()`. */
export function traceTaskSpawn(taskId: number, clockMs: number): void {
  const ctx = context();
  const data = [0, 0, 0, 0, 0];
  data[CLOCK_WORD] = Math.round(clockMs);
  record(ctx, 'task-spawn', taskId, ctx.locate(new Error().stack), data);
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
): void {
  const ctx = context();
  const scheduled = Atomics.load(ctx.memory.header, H.sched) !== 0;
  record(ctx, 'task-exit', taskId, line > 0 ? { line, column } : undefined, [polls, wakes, scheduled ? 0 : Math.round(busyMicros), TASK_OUTCOMES.indexOf(outcome), Math.round(clockMs)]);
}

/** A message queued on (task-send) or taken from (task-recv) a weft/task mpsc channel by task `taskId` (0: outside any task), at the reader's line; call only when `tracing()`. */
export function traceTaskMessage(kind: 'task-send' | 'task-recv', channel: number, taskId: number, awaitAt: () => SourceLocation | undefined): void {
  const ctx = context();
  // A send or receive that completes in a later poll runs under the executor, not the reader's code: then the await it finishes says where.
  record(ctx, kind, channel, ctx.locate(new Error().stack) ?? awaitAt(), [taskId, 0, 0, 0, 0]);
}

/** The task runtime's clock (ms) carried by a task-spawn or task-exit's data words. */
export function taskClockOf(data: readonly number[]): number {
  return data[CLOCK_WORD] ?? 0;
}

/** An event about a task (weft/task's executor) at a place in the reader's source; call only when `tracing()`. */
export function traceTaskEvent(kind: 'task-blocking' | 'held-across-await', taskId: number, at: SourceLocation | undefined): void {
  record(context(), kind, taskId, at, undefined);
}

function record(ctx: ThreadContext, kind: TraceKind, object: number, location: SourceLocation | undefined, data: number[] | undefined): void {
  const h = ctx.memory.header;
  const buffer = Atomics.load(h, H.traceBuffer);
  const seq = Atomics.add(h, H.traceSeq, 1);
  if (seq >= h[H.traceCapacity]!) return; // full: the supervisor reports how many were dropped
  const memory = ctx.memory;
  const time =
    Atomics.load(h, H.sched) !== 0
      ? h[H.step]!
      : Math.round((performance.timeOrigin + performance.now() - memory.f64[buffer >> 3]!) * 1000);
  const base = (buffer + HEADER_BYTES) / 4 + seq * RECORD_WORDS;
  const i32 = memory.i32;
  i32[base] = TRACE_KINDS.indexOf(kind) + 1;
  i32[base + 1] = ctx.threadId;
  i32[base + 2] = object;
  i32[base + 3] = location?.line ?? 0;
  i32[base + 4] = location?.column ?? 0;
  for (let i = 0; i < DATA_WORDS; i++) i32[base + 6 + i] = data?.[i] ?? 0;
  Atomics.store(i32, base + 5, time);
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
export function readTrace(memory: RunMemory): { events: RawTraceEvent[]; dropped: number } {
  const h = memory.header;
  const buffer = Atomics.load(h, H.traceBuffer);
  if (buffer === 0) return { events: [], dropped: 0 };
  const total = Atomics.load(h, H.traceSeq);
  const capacity = h[H.traceCapacity]!;
  const events: RawTraceEvent[] = [];
  const i32 = memory.i32;
  for (let seq = 0; seq < Math.min(total, capacity); seq++) {
    const base = (buffer + HEADER_BYTES) / 4 + seq * RECORD_WORDS;
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
