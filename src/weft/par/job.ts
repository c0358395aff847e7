/**
 * A par iterator's terminal op on the pool: the job record, how its items
 * reach the workers, and how each chunk's partial result comes back.
 *
 * The items [offset, end) are cut into `numChunks` chunks of `chunkLen`
 * (at least the iterator's `withMinLen`). One chunk-range task covering all
 * of them goes to the pool, whose workers split it and steal the halves
 * (registry.ts). Each chunk's partial result is stored in the job record under
 * its chunk index, so the caller combines them in source order whoever ran
 * them: `collect` keeps order, `findFirst` finds the first.
 *
 * How the items travel (Rayon borrows a slice; a JS worker cannot see
 * another worker's heap):
 * - a `range` is two numbers;
 * - a typed array whose buffer is the run's shared memory (`sharedArray`) is
 *   passed as (type, byte offset, length): every worker reads the same
 *   memory, split by index, never copied;
 * - any other typed array, and a plain array of numbers, is copied into run
 *   memory once per terminal op (one memcpy; a Float64Array for numbers),
 *   then shared the same way;
 * - any other plain array is encoded once and decoded once by each worker
 *   that runs a chunk of the job: a copy per worker, as Rayon would need
 *   `T: Sync` and JavaScript objects cannot be shared.
 * The closures' captures are encoded once per job (borrowed: weft handles
 * are shared, not moved) and decoded once per worker.
 *
 * Job record words: 0 chunks remaining, 1-3 first panic (registry.ts
 * recordPanic), 4/5 the encoded description, 6 job id, 7 numChunks, 8 the
 * lowest chunk that found a `findFirst` match, 9 stop (a short-circuit
 * answered, or a panic), then two words per chunk: its result's address
 * and length (a negative length: raw Float64 numbers, `collect`'s fast path).
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeCaptures, encodeValue, typedArrayKind, typedArrayKinds } from '../runtime/codec.ts';
import { type Lifted } from '../runtime/lift.ts';
import { RunStopped } from '../runtime/stop.ts';
import { pieceMicros, pieceStart } from '../runtime/trace.ts';
import { wake } from '../runtime/wait.ts';
import { answered, startStretch, type Fuse, type Stage, type StageKind, type Terminal, type TerminalKind } from './pipeline.ts';
import { chainSite } from './fused.ts';
import {
  ensureStarted,
  newTask,
  nextJobId,
  panicOf,
  registryThreads,
  push,
  recordPanic,
  rethrow,
  setTaskRunners,
  takePanic,
  TaskKind,
  waitFor,
  type WorkerState,
} from './registry.ts';

/**
 * Words of a job record (1–3: its first panic, registry.ts recordPanic); `busy` and `longest`: its chunks' time
 * together and the longest chunk's, µs (traced free runs only); then two words per chunk for its result.
 */
const J = { remaining: 0, descPtr: 4, descLen: 5, jobId: 6, numChunks: 7, cut: 8, stop: 9, busy: 10, longest: 11 } as const;
const RESULTS = 12;

export { typedArrayKind, typedArrayKinds };
export type AnyTypedArray = InstanceType<(typeof typedArrayKinds)[number]>;

/** How a worker finds the items. */
type SourceDesc =
  | { k: 'range'; start: number }
  | { k: 'view'; t: number; off: number; len: number }
  | { k: 'array'; ptr: number; len: number };

/** What a par iterator iterates, on the calling thread. */
export type Source = { k: 'range'; start: number; end: number } | { k: 'typed'; array: AnyTypedArray } | { k: 'array'; array: unknown[] };

export function sourceLength(source: Source): number {
  return source.k === 'range' ? Math.max(0, source.end - source.start) : source.array.length;
}

/** The array the items are read from, when they are an array's elements. */
export function sourceArray(source: Source): ArrayLike<unknown> | undefined {
  return source.k === 'range' ? undefined : source.array;
}

export function sourceItem(source: Source): (i: number) => unknown {
  if (source.k === 'range') {
    const start = source.start;
    return (i) => start + i;
  }
  const array = source.array;
  return (i) => array[i];
}

/** A closure as it travels: its lifted id and its captures, encoded once (borrowed). */
export interface ClosureRef {
  id: number;
  c: Uint8Array;
}

export interface StageSpec {
  k: StageKind;
  f?: Lifted;
  id?: Lifted;
  /** Data of a closure-less stage (pipeline.ts Stage.d / Stage.z). */
  d?: number;
  z?: ArrayLike<unknown>;
}
export interface TerminalSpec {
  k: TerminalKind;
  f?: Lifted;
  id?: Lifted;
  d?: number;
}

/**
 * A stage or terminal with its closures (`f`, `id`) turned into another form
 * (lifted -> encoded -> rebuilt) and its data (`d`, `z`) kept: the one
 * mapping the caller and the workers share.
 */
export function mapClosures<A, B, S extends { k: string; f?: A; id?: A; d?: number; z?: ArrayLike<unknown> }>(
  spec: S,
  map: (closure: A) => B,
): { k: S['k']; f?: B; id?: B; d?: number; z?: ArrayLike<unknown> } {
  // Written out rather than spread: this runs per stage on every terminal op, small inputs' cost included.
  const out: { k: S['k']; f?: B; id?: B; d?: number; z?: ArrayLike<unknown> } = { k: spec.k };
  if (spec.f) out.f = map(spec.f);
  if (spec.id) out.id = map(spec.id);
  if (spec.d !== undefined) out.d = spec.d;
  if (spec.z !== undefined) out.z = spec.z;
  return out;
}

/** How chunk lengths are cut: at least `minLen`, at most `maxLen`, a multiple of `align` (`chunks` groups). */
export interface Splitting {
  minLen: number;
  maxLen: number;
  align: number;
}

interface IterDesc {
  kind: 'iter';
  src: SourceDesc;
  offset: number;
  end: number;
  chunkLen: number;
  numChunks: number;
  stages: { k: StageKind; f?: ClosureRef; id?: ClosureRef; d?: number; z?: ArrayLike<unknown> }[];
  term: { k: TerminalKind; f?: ClosureRef; id?: ClosureRef; d?: number };
}

function ref(lifted: Lifted): ClosureRef {
  return { id: lifted.id, c: encodeCaptures(lifted.captures(), { mode: 'borrow' }) };
}

function isAllNumbers(array: unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (typeof array[i] !== 'number') return false;
  return true;
}

/** The items as workers will read them, and what to free once the job is over. */
function describeSource(source: Source): { desc: SourceDesc; release(): void } {
  const mem = context().memory;
  const none = () => {};
  if (source.k === 'range') return { desc: { k: 'range', start: source.start }, release: none };
  if (source.k === 'typed' && (source.array.buffer as ArrayBufferLike) === mem.buffer) {
    const a = source.array;
    return { desc: { k: 'view', t: typedArrayKind(a), off: a.byteOffset, len: a.length }, release: none };
  }
  if (source.k === 'typed' || isAllNumbers(source.array)) {
    const copy = source.k === 'typed' ? source.array : Float64Array.from(source.array as number[]);
    const t = typedArrayKind(copy);
    const ptr = mem.alloc(Math.max(8, copy.byteLength));
    mem.u8.set(new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength), ptr);
    return { desc: { k: 'view', t, off: ptr, len: copy.length }, release: () => mem.free(ptr) };
  }
  const bytes = encodeValue(source.array, { mode: 'borrow' });
  const ptr = mem.store(bytes);
  return { desc: { k: 'array', ptr, len: bytes.length }, release: () => mem.free(ptr) };
}

/**
 * What a job kind does in a worker: rebuild its plan once per worker (closures
 * from their lifted ids and borrowed captures), then run one chunk and
 * return its partial result. `after` may stop the rest of the job early.
 */
export interface JobKind<Plan> {
  build(desc: Record<string, unknown>, rebuild: (r: ClosureRef) => (...args: never[]) => unknown): Plan;
  /** `stopped()` says whether the job's answer is known already, so a long chunk may end early (a search). */
  run(plan: Plan, chunk: number, stopped: () => boolean): unknown;
  /** 'stop': skip every chunk not started; 'cut': skip the chunks after this one (findFirst). */
  after?(plan: Plan, part: unknown): 'stop' | 'cut' | undefined;
}
const kinds = new Map<string, JobKind<unknown>>();

/** The partial result of a chunk that was skipped because the job's answer was already known. */
export const SKIPPED: unique symbol = Symbol('skipped chunk');

export function registerJobKind<Plan>(name: string, kind: JobKind<Plan>): void {
  kinds.set(name, kind as JobKind<unknown>);
}

/** Encodes a closure for a job description. */
export function closureRef(lifted: Lifted): ClosureRef {
  return ref(lifted);
}

/**
 * Runs `numChunks` chunks of the job `desc` (whose `kind` names a registered
 * JobKind) on `pool` and returns each chunk's partial result in chunk order
 * (`SKIPPED` for a chunk skipped because the answer was already known).
 * Rethrows the first panic once every chunk is over.
 */
export function runJob<D extends { kind: string }>(registry: number, desc: D, numChunks: number, work?: PieceTimes): unknown[] {
  const mem = context().memory;
  const i32 = mem.i32;
  const encoded = encodeValue(desc, { mode: 'borrow' });
  const job = mem.allocRecord(RESULTS + 2 * numChunks);
  const base = job >> 2;
  i32[base + J.descPtr] = mem.store(encoded);
  i32[base + J.descLen] = encoded.length;
  i32[base + J.jobId] = nextJobId(registry);
  i32[base + J.numChunks] = numChunks;
  i32[base + J.cut] = numChunks;
  Atomics.store(i32, base + J.remaining, numChunks);

  ensureStarted(registry);
  const task = newTask(TaskKind.chunks, job, 0, numChunks);
  if (!push(registry, task, registryThreads(registry))) throw new Error('weft internal error: a thread pool deque is full');
  for (;;) {
    const remaining = Atomics.load(i32, base + J.remaining);
    if (remaining === 0) break;
    waitFor(registry, base + J.remaining, remaining);
  }

  const parts: unknown[] = [];
  for (let c = 0; c < numChunks; c++) {
    const ptr = i32[base + RESULTS + 2 * c]!;
    const len = i32[base + RESULTS + 2 * c + 1]!;
    if (ptr === 0) {
      parts.push(SKIPPED);
      continue;
    }
    parts.push(len < 0 ? Array.from(new Float64Array(mem.buffer.slice(ptr, ptr - len))) : decodeValue(mem.read(ptr, len), { owned: true }));
    mem.free(ptr);
  }
  if (work !== undefined) {
    work.total += i32[base + J.busy]!;
    if (i32[base + J.longest]! > work.longest) work.longest = i32[base + J.longest]!;
  }
  const panic = takePanic(job);
  mem.free(i32[base + J.descPtr]!);
  mem.free(job);
  if (panic !== undefined) rethrow(panic);
  return parts;
}

/**
 * Runs items [offset, end) of the chain on `pool` and returns each chunk's
 * partial result in source order (`SKIPPED` for a chunk skipped because
 * the answer was already known). Rethrows the first panic.
 */
export function runOnRegistry(
  registry: number,
  source: Source,
  offset: number,
  end: number,
  split: Splitting,
  stages: readonly StageSpec[],
  terminal: TerminalSpec,
  work?: PieceTimes,
): unknown[] {
  const count = end - offset;
  const threads = registryThreads(registry);
  // Eight chunks per thread: enough for stealing to even out uneven work, few enough that per-chunk costs vanish.
  // `withMinLen` wins over `withMaxLen`, as in Rayon.
  const wanted = Math.max(split.minLen, Math.min(split.maxLen, Math.max(1, Math.ceil(count / (threads * 8)))));
  const chunkLen = Math.ceil(wanted / split.align) * split.align;
  let numChunks = Math.ceil(count / chunkLen);
  // A last chunk shorter than `withMinLen` joins the one before it.
  if (numChunks > 1 && count - (numChunks - 1) * chunkLen < split.minLen) numChunks--;
  const src = describeSource(source);
  const desc: IterDesc = {
    kind: 'iter',
    src: src.desc,
    offset,
    end,
    chunkLen,
    numChunks,
    stages: stages.map((s) => mapClosures(s, ref)),
    term: mapClosures(terminal, ref),
  };
  try {
    return runJob(registry, desc, numChunks, work);
  } finally {
    src.release();
  }
}

/** A typed array over run memory, as a job description names it. */
export function viewOf(desc: { t: number; off: number; len: number }): AnyTypedArray {
  const kind = typedArrayKinds[desc.t]!;
  return new kind(context().memory.buffer as unknown as ArrayBuffer, desc.off, desc.len);
}

/** An iterator job as one worker runs it: its items and closures, rebuilt once per worker. */
interface IterPlan {
  desc: IterDesc;
  fuse: Fuse;
  item: (i: number) => unknown;
  array?: ArrayLike<unknown>;
  stages: Stage[];
  terminal: Terminal;
}

registerJobKind<IterPlan>('iter', {
  build(raw, rebuild) {
    const desc = raw as unknown as IterDesc;
    const mem = context().memory;
    let item: (i: number) => unknown;
    let array: ArrayLike<unknown> | undefined;
    const src = desc.src;
    if (src.k === 'range') {
      const start = src.start;
      item = (i) => start + i;
    } else {
      const items = src.k === 'view' ? viewOf(src) : (decodeValue(mem.read(src.ptr, src.len), { owned: false }) as unknown[]);
      item = (i) => items[i];
      array = items;
    }
    return {
      desc,
      fuse: { site: chainSite(desc.stages, desc.term), start: src.k === 'range' ? src.start : 0 },
      item,
      ...(array ? { array } : {}),
      stages: desc.stages.map((s) => mapClosures(s, rebuild)) as Stage[],
      terminal: mapClosures(desc.term, rebuild) as Terminal,
    };
  },
  run(plan, chunk, stopped) {
    const lo = plan.desc.offset + chunk * plan.desc.chunkLen;
    // The last chunk runs to the end (it may have taken in a short remainder).
    const hi = chunk === plan.desc.numChunks - 1 ? plan.desc.end : lo + plan.desc.chunkLen;
    const stretch = startStretch(plan.item, plan.stages, plan.terminal, plan.array, plan.fuse);
    if (hi - lo > SEARCH_BATCH && SEARCHES.has(plan.terminal.k)) {
      // A search looks, between batches, whether another chunk has answered: so a chunk of a huge range that holds
      // no match ends once one is found elsewhere, as Rayon's consumers stop when `full()` (tests/octillion.rs).
      for (let at = lo; at < hi; at += SEARCH_BATCH) {
        if (!stretch.feed(at, Math.min(hi, at + SEARCH_BATCH)) || stopped()) break;
      }
    } else {
      stretch.feed(lo, hi);
    }
    return stretch.finish();
  },
  after(plan, part) {
    if (!answered(plan.terminal, part)) return undefined;
    return plan.terminal.k === 'findFirst' || plan.terminal.k === 'positionFirst' ? 'cut' : 'stop';
  },
});

/** Terminal ops that a chunk's answer may settle for the whole job (pipeline.ts `answered`). */
export const SEARCHES: ReadonlySet<TerminalKind> = new Set<TerminalKind>(['any', 'all', 'findAny', 'findFirst', 'positionAny', 'positionFirst']);
/** Items a searching chunk runs between two looks at whether the job is answered. */
export const SEARCH_BATCH = 1 << 14;

/** Keeps a worker's per-job plans few: the oldest goes first. */
const MAX_CACHED_PLANS = 16;

interface CachedPlan {
  kind: JobKind<unknown>;
  plan: unknown;
}

function planFor(state: WorkerState, job: number): CachedPlan {
  const mem = context().memory;
  const i32 = mem.i32;
  const base = job >> 2;
  const jobId = i32[base + J.jobId]!;
  let cached = state.cache.get(jobId) as CachedPlan | undefined;
  if (cached === undefined) {
    const desc = decodeValue(mem.read(i32[base + J.descPtr]!, i32[base + J.descLen]!), { owned: false }) as Record<string, unknown>;
    const kind = kinds.get(desc.kind as string);
    if (kind === undefined) throw new Error(`weft internal error: no job kind ${String(desc.kind)}`);
    const rebuild = (r: ClosureRef) => {
      const captures = decodeValue(r.c, { owned: false }) as Record<string, unknown>;
      return state.factories[r.id]!(captures) as (...args: never[]) => unknown;
    };
    cached = { kind, plan: kind.build(desc, rebuild) };
    if (state.cache.size >= MAX_CACHED_PLANS) state.cache.delete(state.cache.keys().next().value!);
    state.cache.set(jobId, cached);
  }
  return cached;
}

function runChunk(state: WorkerState, job: number, chunk: number): void {
  const mem = context().memory;
  const i32 = mem.i32;
  const base = job >> 2;
  if (Atomics.load(i32, base + J.stop) === 0 && chunk <= Atomics.load(i32, base + J.cut)) {
    try {
      const { kind, plan } = planFor(state, job);
      const started = pieceStart();
      const part = kind.run(plan, chunk, () => Atomics.load(i32, base + J.stop) !== 0 || chunk > Atomics.load(i32, base + J.cut));
      if (started >= 0) addPiece(i32, base, pieceMicros(started));
      storePart(job, chunk, part);
      const then = kind.after?.(plan, part);
      if (then === 'cut') {
        // Chunks after this one cannot hold the first match any more.
        for (let cut = Atomics.load(i32, base + J.cut); chunk < cut; cut = Atomics.load(i32, base + J.cut)) {
          if (Atomics.compareExchange(i32, base + J.cut, cut, chunk) === cut) break;
        }
      } else if (then === 'stop') {
        Atomics.store(i32, base + J.stop, 1);
      }
    } catch (error) {
      if (error instanceof RunStopped) throw error;
      recordPanic(job, encodeValue(panicOf(error), { mode: 'borrow' }));
      Atomics.store(i32, base + J.stop, 1);
    }
  }
  if (Atomics.sub(i32, base + J.remaining, 1) === 1) wake(i32, base + J.remaining);
}

/** A chunk's time, µs, added to its job's (the chunks run on several threads at once). */
function addPiece(i32: Int32Array, base: number, micros: number): void {
  Atomics.add(i32, base + J.busy, micros);
  for (let longest = Atomics.load(i32, base + J.longest); micros > longest; longest = Atomics.load(i32, base + J.longest)) {
    if (Atomics.compareExchange(i32, base + J.longest, longest, micros) === longest) break;
  }
}

/** How long a parallel iterator's pieces took, µs: together, and the longest (trace.ts, pieceStart). */
export interface PieceTimes {
  total: number;
  longest: number;
}

function storePart(job: number, chunk: number, part: unknown): void {
  const mem = context().memory;
  const i32 = mem.i32;
  const at = (job >> 2) + RESULTS + 2 * chunk;
  if (Array.isArray(part) && part.length > 16 && isAllNumbers(part)) {
    const numbers = Float64Array.from(part as number[]);
    const ptr = mem.alloc(numbers.byteLength);
    new Float64Array(mem.buffer, ptr, numbers.length).set(numbers);
    i32[at + 1] = -numbers.byteLength;
    i32[at] = ptr;
    return;
  }
  const bytes = encodeValue(part, { mode: 'move', target: { into: 'the thread that runs the terminal op' } });
  i32[at + 1] = bytes.length;
  i32[at] = mem.store(bytes);
}

setTaskRunners({ chunk: runChunk });
