/**
 * Run memory: one growable SharedArrayBuffer shared by every thread of a run.
 *
 * Every weft object that more than one thread can reach (a Mutex, an Arc, a
 * channel, a thread's join slot) lives here, so a handle is just a byte
 * offset: it can be stored inside a Mutex, sent down a channel or captured by
 * a closure without a postMessage round trip. A blocked thread cannot receive
 * messages (it sits in Atomics.wait), so anything a blocked thread may need to
 * see must be in this memory.
 *
 * Layout (byte offsets):
 *   0                 header, HEADER_WORDS Int32 words (below)
 *   THREAD_TABLE      MAX_THREADS thread slots of THREAD_SLOT_WORDS words
 *   HEAP_START ...    the heap, carved by `alloc` (a size-class allocator)
 *
 * The buffer grows (SharedArrayBuffer.prototype.grow) when the heap needs
 * room; every thread's length-tracking views see the new length.
 */

export const MAGIC = 0x77656674; // "weft"

/** Header words (Int32 indices). */
export const H = {
  magic: 0,
  allocLock: 1, // futex lock over the allocator's free lists and bump pointer
  bump: 2, // next free heap byte
  outputSeq: 3, // total order of console lines across threads
  nextThreadId: 4,
  liveThreads: 5,
  stop: 6, // set to 1 when the run is being stopped: waits give up
  taskIds: 7, // weft/task ids taken so far, by every runtime of the run: Tokio's task ids are unique per process
  freeLists: 8, // SIZE_CLASSES words: head of each free list (0 = empty)
  // The seeded scheduler (runtime/scheduler.ts); all 0 when runs are free.
  sched: 36, // 0 free-running, 1 uniform random, 2 PCT
  turn: 37, // the one thread allowed to run
  rngA: 38, // xorshift state, touched only by the thread holding the turn
  rngB: 39,
  step: 40, // scheduling decisions so far: the trace's logical clock
  vclock: 41, // virtual milliseconds: sleeps and timeouts under a seed
  pctChange0: 42, // PCT: the steps at which the running thread's priority drops
  pctChange1: 43,
  // The run's allocation budget (runner/worker/allocation-budget.ts): KB asked for in large blocks and not
  // given back, and the thread that went over the limit (0: none). (The trace was here once.)
  bulkKb: 44,
  overBudget: 45,
  // weft/par's global registry (par/registry.ts): its record's address, 0 before first use, -1 while one thread creates it.
  parRegistry: 46,
  // Where the run's console lines go (runner/output-ring.ts): the ring's address.
  outputRing: 47,
  // The thread table (runtime/thread-table.ts): its slots taken or being taken, and a count bumped each time one is
  // given back or a thread ends, which a spawn waiting for a place sleeps on (runtime/threads.ts takeThreadSlot).
  slotsTaken: 48,
  slotsChanged: 49,
} as const;

export const SIZE_CLASSES = 28; // 16 B .. 1 GiB
export const HEADER_WORDS = 50;
export const MAX_THREADS = 1024;
export const THREAD_SLOT_WORDS = 20;
export const THREAD_TABLE = 256; // bytes; header fits below
export const HEAP_START = THREAD_TABLE + MAX_THREADS * THREAD_SLOT_WORDS * 4;

const INITIAL_BYTES = 1 << 20;
const MAX_BYTES = 1 << 30;
const BLOCK_HEADER = 8; // [size class, in-use marker]
const IN_USE = 0x55aa55aa;
const FREE = 0x0f0f0f0f;
/** A record freed by a local drop and kept in its thread's cache (RunMemory.freeRecord): not in use, not on a free list. */
const CACHED = 0x3c3c3c3c;
/** Records a thread's cache keeps per size class: a few KB at most stay out of the free lists per worker. */
const CACHE_MAX = 64;

/** The views one thread keeps over the run memory. */
export class RunMemory {
  readonly buffer: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly f64: Float64Array;
  readonly dv: DataView;
  /** The header through a fixed-length view: ~5x cheaper per atomic than the length-tracking `i32`. */
  readonly header: Int32Array;
  /** Records this thread freed (freeRecord), by size class, for its next allocRecord of that class. */
  readonly #cache: number[][] = [];

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, HEADER_WORDS);
    // Views without a length track a growable buffer's length.
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.dv = new DataView(buffer);
  }

  /** Makes the memory of a new run (done once, by whoever supervises the run). */
  static create(): RunMemory {
    const buffer = new SharedArrayBuffer(INITIAL_BYTES, { maxByteLength: MAX_BYTES });
    const memory = new RunMemory(buffer);
    const i32 = memory.i32;
    i32[H.magic] = MAGIC;
    i32[H.bump] = HEAP_START;
    i32[H.nextThreadId] = 1;
    return memory;
  }

  /** Allocates a zeroed record of `words` Int32 words (a primitive's state) and returns its offset. */
  allocRecord(words: number): number {
    const cached = this.#cache[sizeClass(words * 4 + BLOCK_HEADER)];
    let addr: number;
    if (cached !== undefined && cached.length > 0) {
      addr = cached.pop()!;
      this.i32[((addr - BLOCK_HEADER) >> 2) + 1] = IN_USE;
    } else {
      addr = this.alloc(words * 4);
    }
    this.i32.fill(0, addr >> 2, (addr >> 2) + words);
    return addr;
  }

  /**
   * Frees a record that only this thread could reach (a local's, dropped at
   * the end of its block: runtime/handle.ts freeLocal). It is kept for this
   * thread's next record of the same size, without the allocator's lock on
   * either side: a record's allocRecord + free through the free lists took
   * ~200 ns, through this cache ~125 ns (Node 24, interleaved trials in one
   * process, medians), so a Mutex made and dropped each round costs less
   * than one made and kept did. Up to CACHE_MAX a size class; the rest go to
   * the free lists.
   */
  freeRecord(ptr: number): void {
    const block = ptr - BLOCK_HEADER;
    const i32 = this.i32;
    if (i32[(block >> 2) + 1] !== IN_USE) throw new Error(`weft internal error: double free or bad pointer at ${ptr}`);
    const cls = i32[block >> 2]!;
    const cached = (this.#cache[cls] ??= []);
    if (cached.length >= CACHE_MAX) {
      this.free(ptr);
      return;
    }
    i32[(block >> 2) + 1] = CACHED;
    cached.push(ptr);
  }

  /** Allocates `bytes` bytes (8-aligned) and returns their offset. Never returns 0. */
  alloc(bytes: number): number {
    const cls = sizeClass(bytes + BLOCK_HEADER);
    const i32 = this.i32;
    // The lock, the free lists and the bump pointer are header words: read through the fixed-length view.
    const header = this.header;
    lockAllocator(header);
    try {
      const head = header[H.freeLists + cls]!;
      let block: number;
      if (head !== 0) {
        block = head;
        header[H.freeLists + cls] = i32[(block + BLOCK_HEADER) >> 2]!; // next pointer lives in the payload
      } else {
        block = header[H.bump]!;
        const end = block + (1 << (cls + 4));
        if (end > this.buffer.byteLength) this.growTo(end);
        header[H.bump] = end;
      }
      i32[block >> 2] = cls;
      i32[(block >> 2) + 1] = IN_USE;
      return block + BLOCK_HEADER;
    } finally {
      unlockAllocator(header);
    }
  }

  /** Returns a block to its free list. */
  free(ptr: number): void {
    const block = ptr - BLOCK_HEADER;
    const i32 = this.i32;
    if (i32[(block >> 2) + 1] !== IN_USE) {
      throw new Error(`weft internal error: double free or bad pointer at ${ptr}`);
    }
    const cls = i32[block >> 2]!;
    const header = this.header;
    lockAllocator(header);
    try {
      i32[(block >> 2) + 1] = FREE;
      i32[ptr >> 2] = header[H.freeLists + cls]!;
      header[H.freeLists + cls] = block;
    } finally {
      unlockAllocator(header);
    }
  }

  /** Usable bytes of an allocated block (its size class minus the header). */
  capacity(ptr: number): number {
    return (1 << (this.i32[(ptr - BLOCK_HEADER) >> 2]! + 4)) - BLOCK_HEADER;
  }

  /** Copies bytes into a fresh block; returns its offset. */
  store(bytes: Uint8Array): number {
    const ptr = this.alloc(Math.max(bytes.length, 8));
    this.u8.set(bytes, ptr);
    return ptr;
  }

  /** Copies `length` bytes out of shared memory (TextDecoder refuses shared views). */
  read(ptr: number, length: number): Uint8Array {
    return this.u8.slice(ptr, ptr + length);
  }

  private growTo(end: number): void {
    let size = this.buffer.byteLength;
    while (size < end) size *= 2;
    if (size > MAX_BYTES) {
      throw new RangeError(`weft: the run needs more than ${MAX_BYTES >> 20} MiB of shared memory`);
    }
    // Another thread may have grown it meanwhile; grow() refuses to shrink.
    if (size > this.buffer.byteLength) this.buffer.grow(size);
  }
}

function sizeClass(bytes: number): number {
  let cls = 0;
  while (1 << (cls + 4) < bytes) cls++;
  if (cls >= SIZE_CLASSES) throw new RangeError(`weft: cannot allocate ${bytes} bytes`);
  return cls;
}

// The allocator's lock is a three-state futex lock over one header word (0 free, 1 held, 2 held and maybe
// waited on: futex-lock.ts has the reference): allocation sections are a few instructions long, so a thread
// watches a held lock before it sleeps, and an unlock pays Atomics.notify only when someone may sleep
// (it paid it on every unlock once: ~7% of a channel sender's time).
function lockAllocator(header: Int32Array): void {
  if (Atomics.compareExchange(header, H.allocLock, 0, 1) === 0) return;
  for (let i = 0; i < 200; i++) {
    if (Atomics.load(header, H.allocLock) === 0 && Atomics.compareExchange(header, H.allocLock, 0, 1) === 0) return;
  }
  // Sleeps in 1 ms slices: an allocator waiter cannot be left behind by a lost wake.
  while (Atomics.exchange(header, H.allocLock, 2) !== 0) Atomics.wait(header, H.allocLock, 2, 1);
}

function unlockAllocator(header: Int32Array): void {
  if (Atomics.sub(header, H.allocLock, 1) !== 1) {
    Atomics.store(header, H.allocLock, 0);
    Atomics.notify(header, H.allocLock, 1);
  }
}
