/**
 * Console lines and panics travel from a run's threads to the supervisor
 * through a ring in run memory, not as one message each.
 *
 * Why: a program that prints in a tight loop sent the page a million
 * messages, and the page spent its whole thread taking them in (issue 17:
 * unresponsive for > 15 s, Stop could not be clicked, the time limit came
 * late). Here the supervisor reads the ring when it chooses, a bounded
 * number of lines at a time, so it always has time for a click and for the
 * time limit. And lines written just before a thread spins forever are
 * still read: they are in memory, not in a worker's unsent queue.
 *
 * A full ring makes the writer wait until the supervisor has read a line
 * (as a Rust program's `println!` waits on a full pipe), so no line is lost
 * and a flood cannot outrun the reader; the page keeps only the last lines
 * on screen (components/run/output-log.ts). The writer waits in slices and gives up when
 * the run stops.
 *
 * Layout (Int32 words from the ring's address):
 *   0 read: the sequence number of the next line the supervisor takes
 *   LINES slots of SLOT_WORDS words: committed (seq + 1 once written, 0 when
 *   free), thread id, stream, text pointer, label bytes, text bytes, and in a
 *   traced run the trace clock's time and the reader's line (for the timeline).
 * A line's bytes (its thread's label, then its text, UTF-8) are a heap
 * block; the next writer of the slot frees it, so the supervisor, which may
 * not block, never takes the allocator's lock.
 */
import { H, type RunMemory } from '../weft/runtime/memory.ts';
import { RunStopped } from '../weft/runtime/stop.ts';
import type { OutputStream } from './events.ts';
import { cutText, type PanicReport } from '../weft/runtime/context.ts';

export const RING_LINES = 2048;
const SLOT_WORDS = 8;
const S = { committed: 0, threadId: 1, stream: 2, ptr: 3, labelBytes: 4, textBytes: 5, time: 6, line: 7 } as const;
/** A slot's time word when the line carries no time (the run is not traced). */
const NO_TIME = -1;
const FIRST_SLOT = 2;
/** How long a writer waiting for room sleeps between looks for a stop. */
const WAIT_SLICE_MS = 50;
/**
 * Longest line kept, in characters. One 50 MB line froze the page; nobody
 * reads past the first screenfuls of one line anyway.
 */
export const MAX_LINE_CHARS = 5_000;

/** Bounds on what a slot may claim (a line's UTF-8 is at most 3 bytes a character, plus the panic's JSON around it). */
const MAX_TEXT_BYTES = MAX_LINE_CHARS * 3 + 4096;
const MAX_LABEL_BYTES = 4096;

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(n, max));
}

const STREAMS = ['log', 'info', 'warn', 'error', 'debug', 'panic'] as const;
type Kind = (typeof STREAMS)[number];

export type RingLine =
  | { kind: 'output'; seq: number; threadId: number; thread: string; stream: OutputStream; text: string; at?: LineStamp }
  | ({ kind: 'panic'; seq: number; threadId: number } & PanicReport);

/** When (trace clock) and from which of the reader's lines a console line was written, in a traced run. */
export interface LineStamp {
  time: number;
  line?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Allocates the ring in a new run's memory (the supervisor, before any thread runs). */
export function createOutputRing(memory: RunMemory): void {
  const words = FIRST_SLOT + RING_LINES * SLOT_WORDS;
  const at = memory.allocRecord(words);
  Atomics.store(memory.header, H.outputRing, at);
}

/** `text` cut to MAX_LINE_CHARS, saying how much was cut. */
export function truncateLine(text: string): string {
  return cutText(text, MAX_LINE_CHARS);
}

function slotIndex(base: number, seq: number, word: number): number {
  return base + FIRST_SLOT + (seq % RING_LINES) * SLOT_WORDS + word;
}

/** A thread writes line `seq` (taken from H.outputSeq); waits while the ring is full. */
function write(memory: RunMemory, seq: number, threadId: number, kind: Kind, label: string, text: string, at?: LineStamp): void {
  const i32 = memory.i32;
  const base = Atomics.load(memory.header, H.outputRing) >> 2;
  for (;;) {
    const read = Atomics.load(i32, base);
    if (seq - read < RING_LINES) break;
    if (Atomics.load(i32, H.stop) !== 0) throw new RunStopped();
    Atomics.wait(i32, base, read, WAIT_SLICE_MS);
  }
  const old = i32[slotIndex(base, seq, S.ptr)]!;
  if (old !== 0) memory.free(old);
  const labelBytes = encoder.encode(label.length > 1000 ? `${label.slice(0, 1000)}…` : label);
  const textBytes = encoder.encode(text);
  const ptr = memory.alloc(Math.max(8, labelBytes.length + textBytes.length));
  memory.u8.set(labelBytes, ptr);
  memory.u8.set(textBytes, ptr + labelBytes.length);
  i32[slotIndex(base, seq, S.threadId)] = threadId;
  i32[slotIndex(base, seq, S.stream)] = STREAMS.indexOf(kind);
  i32[slotIndex(base, seq, S.ptr)] = ptr;
  i32[slotIndex(base, seq, S.labelBytes)] = labelBytes.length;
  i32[slotIndex(base, seq, S.textBytes)] = textBytes.length;
  i32[slotIndex(base, seq, S.time)] = at ? at.time : NO_TIME;
  i32[slotIndex(base, seq, S.line)] = at?.line ?? 0;
  Atomics.store(i32, slotIndex(base, seq, S.committed), seq + 1);
}

export function writeOutput(memory: RunMemory, threadId: number, thread: string, stream: OutputStream, text: string, at?: LineStamp): void {
  const seq = Atomics.add(memory.i32, H.outputSeq, 1);
  write(memory, seq, threadId, stream, thread, truncateLine(text), at);
}

export function writePanic(memory: RunMemory, threadId: number, report: PanicReport): void {
  const seq = Atomics.add(memory.i32, H.outputSeq, 1);
  const { thread, ...rest } = report;
  const name = rest.name.length > 200 ? `${rest.name.slice(0, 200)}…` : rest.name;
  write(memory, seq, threadId, 'panic', thread, JSON.stringify({ ...rest, name, message: truncateLine(rest.message) }));
}

/** The sequence number of the next line the supervisor will take. */
export function nextToRead(memory: RunMemory): number {
  return Atomics.load(memory.i32, Atomics.load(memory.header, H.outputRing) >> 2);
}

function take(memory: RunMemory, base: number, seq: number): RingLine {
  const i32 = memory.i32;
  const threadId = i32[slotIndex(base, seq, S.threadId)]!;
  const kind = STREAMS[i32[slotIndex(base, seq, S.stream)]!] ?? 'log';
  const ptr = i32[slotIndex(base, seq, S.ptr)]!;
  // Run memory is within the program's reach (weft/par's sharedArray views it): read what a slot says
  // defensively, so a program that scribbles over the ring garbles its own output and nothing else.
  const labelBytes = clamp(i32[slotIndex(base, seq, S.labelBytes)]!, MAX_LABEL_BYTES);
  const textBytes = clamp(i32[slotIndex(base, seq, S.textBytes)]!, MAX_TEXT_BYTES);
  const bytes = memory.read(ptr, labelBytes + textBytes);
  const thread = decoder.decode(bytes.subarray(0, labelBytes));
  const text = decoder.decode(bytes.subarray(labelBytes));
  if (kind === 'panic') {
    try {
      return { kind: 'panic', seq, threadId, thread, ...(JSON.parse(text) as Omit<PanicReport, 'thread'>) };
    } catch {
      return { kind: 'output', seq, threadId, thread, stream: 'error', text };
    }
  }
  const time = i32[slotIndex(base, seq, S.time)]!;
  const line = i32[slotIndex(base, seq, S.line)]!;
  const at = time === NO_TIME ? undefined : line > 0 ? { time, line } : { time };
  return { kind: 'output', seq, threadId, thread, stream: kind, text, ...(at ? { at } : {}) };
}

/**
 * The supervisor takes, in order, the lines written so far, stopping at
 * one still being written, at `upTo`, after `maxLines` or once `budgetMs`
 * have passed. Never blocks. Wakes writers waiting for room.
 */
export function readLines(memory: RunMemory, upTo: number, maxLines: number, budgetMs: number, onLine: (line: RingLine) => void): number {
  const i32 = memory.i32;
  const base = Atomics.load(memory.header, H.outputRing) >> 2;
  const deadline = performance.now() + budgetMs;
  let taken = 0;
  let seq = Atomics.load(i32, base);
  while (seq < upTo && taken < maxLines) {
    if (Atomics.load(i32, slotIndex(base, seq, S.committed)) !== seq + 1) break;
    const line = take(memory, base, seq);
    Atomics.store(i32, slotIndex(base, seq, S.committed), 0);
    seq++;
    taken++;
    onLine(line);
    if ((taken & 63) === 0 && performance.now() > deadline) break;
  }
  if (taken > 0) {
    Atomics.store(i32, base, seq);
    Atomics.notify(i32, base);
  }
  return taken;
}

/**
 * When the run is over (its workers are gone): every line written below
 * `upTo`, in order, skipping any a terminated thread had begun and not
 * finished writing.
 */
export function readRemaining(memory: RunMemory, upTo: number, onLine: (line: RingLine) => void): void {
  const i32 = memory.i32;
  const base = Atomics.load(memory.header, H.outputRing) >> 2;
  const end = Math.min(upTo, Atomics.load(i32, H.outputSeq));
  // Only the last RING_LINES sequence numbers can still be in the ring.
  for (let seq = Math.max(Atomics.load(i32, base), end - RING_LINES); seq < end; seq++) {
    if (Atomics.load(i32, slotIndex(base, seq, S.committed)) === seq + 1) onLine(take(memory, base, seq));
  }
  Atomics.store(i32, base, end);
}
