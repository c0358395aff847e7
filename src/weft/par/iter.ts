/**
 * Rayon's `ParallelIterator`: a lazy description (a source and adapters)
 * that a terminal op runs.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/iter/trait.ParallelIterator.html
 *
 * A terminal op first runs the chain on the calling thread, in doubling
 * batches, watching the clock: once it has run for an eighth of the pool's
 * sequential cut-off, it estimates from the items done how long the rest
 * would take here, and only if that exceeds the cut-off (measured: the work
 * below which the pool loses, BENCHMARKS.md) does the rest go to the pool
 * (job.ts), whose chunks' partial results are then combined in source order.
 * So a small input never pays for waking threads, and a big one loses little
 * parallelism. The estimate assumes the first items cost what the rest do. Under a seeded schedule everything runs
 * on the calling thread, so a seed still replays one interleaving.
 */
import { context } from '../runtime/context.ts';
import { liftedForPar } from './lifted.ts';
import { scheduled, scheduledCuts } from '../runtime/scheduler.ts';
import { traceEvent } from '../runtime/trace.ts';
import { answered, combine, startStretch, type StageKind, type TerminalKind } from './pipeline.ts';
import { runOnPool, SKIPPED, sourceArray, sourceItem, sourceLength, typedArrayKinds, type AnyTypedArray, type Source, type StageSpec, type TerminalSpec } from './job.ts';
import { currentPool } from './current.ts';
import { poolCutoff } from './pool.ts';

/** A parallel iterator over items of type `T` (Rayon's `ParallelIterator`). */
export class ParallelIterator<T> {
  readonly #source: Source;
  readonly #stages: readonly StageSpec[];
  readonly #minLen: number;

  /** @internal use `parIter` or `range`. */
  constructor(source: Source, stages: readonly StageSpec[] = [], minLen = 1) {
    this.#source = source;
    this.#stages = stages;
    this.#minLen = minLen;
  }

  #with<U>(k: StageKind, f: unknown, id?: unknown): ParallelIterator<U> {
    const stage: StageSpec = id === undefined ? { k, f: liftedForPar(f, k) } : { k, f: liftedForPar(f, k), id: liftedForPar(id, k) };
    return new ParallelIterator<U>(this.#source, [...this.#stages, stage], this.#minLen);
  }

  /** Applies `f` to each item. */
  map<U>(f: (item: T) => U): ParallelIterator<U> {
    return this.#with('map', f);
  }
  /** Keeps the items for which `predicate` is true. */
  filter(predicate: (item: T) => boolean): ParallelIterator<T> {
    return this.#with('filter', predicate);
  }
  /** Applies `f` to each item and flattens the iterables it returns (arrays, sets...). */
  flatMap<U>(f: (item: T) => Iterable<U>): ParallelIterator<U> {
    return this.#with('flatMap', f);
  }
  /** Calls `f` on each item as it passes, for its side effect. */
  inspect(f: (item: T) => void): ParallelIterator<T> {
    return this.#with('inspect', f);
  }
  /**
   * Folds the items of each piece of work into an accumulator that starts at
   * `identity()`, giving one accumulator per piece: combine them with
   * `reduce` or `sum`. How many pieces there are is the pool's business, as in
   * Rayon.
   */
  fold<A>(identity: () => A, op: (acc: A, item: T) => A): ParallelIterator<A> {
    return this.#with('fold', op, identity);
  }
  /** No piece of work handed to a thread will be shorter than `minLen` items (Rayon's `with_min_len`). */
  withMinLen(minLen: number): ParallelIterator<T> {
    return new ParallelIterator<T>(this.#source, this.#stages, Math.max(1, Math.floor(minLen), this.#minLen));
  }

  /** Calls `f` on every item, in no particular order. */
  forEach(f: (item: T) => void): void {
    this.#run({ k: 'forEach', f: liftedForPar(f, 'forEach') });
  }
  /**
   * Combines all items with `op`, starting from `identity()` in each piece of
   * work. `op` must be associative and `identity()` its neutral element, as in
   * Rayon; the pieces are combined in source order.
   */
  reduce(identity: () => T, op: (a: T, b: T) => T): T {
    return this.#run({ k: 'reduce', f: liftedForPar(op, 'reduce'), id: liftedForPar(identity, 'reduce') }) as T;
  }
  /** The sum of the items (0 when there are none). */
  sum(): T {
    return this.#run({ k: 'sum' }) as T;
  }
  /** How many items there are. */
  count(): number {
    return this.#run({ k: 'count' }) as number;
  }
  /** The smallest item by `<` (the first of equal ones), or undefined when there are none. */
  min(): T | undefined {
    return this.#run({ k: 'min' }) as T | undefined;
  }
  /** The largest item by `<` (the last of equal ones), or undefined when there are none. */
  max(): T | undefined {
    return this.#run({ k: 'max' }) as T | undefined;
  }
  /** The smallest item by `compare` (negative: less), the first of equal ones. */
  minBy(compare: (a: T, b: T) => number): T | undefined {
    return this.#run({ k: 'minBy', f: liftedForPar(compare, 'minBy') }) as T | undefined;
  }
  /** The largest item by `compare`, the last of equal ones. */
  maxBy(compare: (a: T, b: T) => number): T | undefined {
    return this.#run({ k: 'maxBy', f: liftedForPar(compare, 'maxBy') }) as T | undefined;
  }
  /** The item whose `key` is smallest, the first of equal ones. */
  minByKey<K>(key: (item: T) => K): T | undefined {
    return this.#run({ k: 'minByKey', f: liftedForPar(key, 'minByKey') }) as T | undefined;
  }
  /** The item whose `key` is largest, the last of equal ones. */
  maxByKey<K>(key: (item: T) => K): T | undefined {
    return this.#run({ k: 'maxByKey', f: liftedForPar(key, 'maxByKey') }) as T | undefined;
  }
  /** Whether `predicate` is true for some item; stops looking once one is found. */
  any(predicate: (item: T) => boolean): boolean {
    return this.#run({ k: 'any', f: liftedForPar(predicate, 'any') }) as boolean;
  }
  /** Whether `predicate` is true for every item; stops looking at the first that fails. */
  all(predicate: (item: T) => boolean): boolean {
    return this.#run({ k: 'all', f: liftedForPar(predicate, 'all') }) as boolean;
  }
  /** Some item for which `predicate` is true (not necessarily the first), or undefined. */
  findAny(predicate: (item: T) => boolean): T | undefined {
    return this.#run({ k: 'findAny', f: liftedForPar(predicate, 'findAny') }) as T | undefined;
  }
  /** The first item, in source order, for which `predicate` is true, or undefined. */
  findFirst(predicate: (item: T) => boolean): T | undefined {
    return this.#run({ k: 'findFirst', f: liftedForPar(predicate, 'findFirst') }) as T | undefined;
  }
  /** The items in an array, in source order (Rayon's `collect::<Vec<_>>()`). */
  collect(): T[] {
    return this.#run({ k: 'collect' }) as T[];
  }

  #run(terminal: TerminalSpec): unknown {
    const source = this.#source;
    const n = sourceLength(source);
    const stages = this.#stages.map((s) => (s.id ? { k: s.k, f: s.f.fn, id: s.id.fn } : { k: s.k, f: s.f.fn })) as never[];
    const local = { k: terminal.k as TerminalKind, ...(terminal.f ? { f: terminal.f.fn } : {}), ...(terminal.id ? { id: terminal.id.fn } : {}) } as never;
    const stretch = startStretch(sourceItem(source), stages, local, sourceArray(source));
    const memory = context().memory;
    traceEvent('par-iter', n);
    if (scheduled(memory)) {
      // Under a seed everything runs here, but cut into pieces the seed chooses and combined as the pool's chunks
      // are, so an operation that only works for one split (a reduce that isn't associative) shows it from seed to seed.
      const bounds = [0, ...scheduledCuts(memory, n, this.#minLen, seededRuns++), n];
      const parts: unknown[] = [];
      for (let p = 0; p + 1 < bounds.length; p++) {
        const piece = p === 0 ? stretch : startStretch(sourceItem(source), stages, local, sourceArray(source));
        piece.feed(bounds[p]!, bounds[p + 1]!);
        const part = piece.finish();
        parts.push(part);
        if (answered(local, part)) break; // as a chunk that has the answer stops the later ones
      }
      if (terminal.k === 'reduce') return reduceTree(local, parts, bounds.reduce((h, b) => (h * 31 + b) | 0, 7));
      return combine(local, parts);
    }
    if (n <= this.#minLen) {
      stretch.feed(0, n);
      return combine(local, [stretch.finish()]);
    }
    const pool = currentPool();
    // The sequential prefix (see the file's header): run here for a short
    // probe, estimate from it how long the rest would take here, and keep it
    // here unless that is more than the pool's cut-off.
    const cutoffMs = poolCutoff(pool) / 1000;
    let done = 0;
    if (cutoffMs > 0) {
      const started = performance.now();
      const probeMs = cutoffMs / PROBE_FRACTION;
      let batch = 32;
      while (done < n) {
        const hi = Math.min(n, done + batch);
        done = stretch.feed(done, hi) ? hi : n;
        const elapsed = performance.now() - started;
        if (elapsed >= probeMs && (elapsed / done) * (n - done) > cutoffMs) break;
        batch *= 2;
      }
    }
    const prefix = stretch.finish();
    if (done >= n || answered(local, prefix)) return combine(local, [prefix]);
    const parts = runOnPool(pool, source, done, n, this.#minLen, this.#stages, terminal).map((part) => (part === SKIPPED ? neutral(terminal.k) : part));
    return combine(local, [prefix, ...parts]);
  }
}

/**
 * A seeded reduce combines its pieces as Rayon's join tree does, pairwise in a tree whose shape the pieces' bounds
 * choose, each piece having started from the identity: an associative op with a true identity gives the loop's answer
 * for every tree, any other op gives answers that vary with the split, as in Rayon.
 */
function reduceTree(terminal: { f?: unknown; id?: unknown }, parts: unknown[], salt: number): unknown {
  const op = terminal.f as (a: unknown, b: unknown) => unknown;
  if (parts.length === 0) return (terminal.id as () => unknown)();
  let x = (salt * 0x9e3779b1) >>> 0 || 1;
  const tree = (lo: number, hi: number): unknown => {
    if (hi - lo === 1) return parts[lo];
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const mid = lo + 1 + (x % (hi - lo - 1));
    return op(tree(lo, mid), tree(mid, hi));
  };
  return tree(0, parts.length);
}

/** Terminal ops run under a seed on this thread so far: varies the pieces from one op to the next. */
let seededRuns = 0;

/** The probe runs for this fraction of the cut-off before it estimates the rest. */
const PROBE_FRACTION = 8;

/** The partial result of a chunk skipped because another chunk had the answer. */
function neutral(k: TerminalKind): unknown {
  return k === 'all' ? true : k === 'any' ? false : [];
}

/**
 * A parallel iterator over an array's or typed array's items (Rayon's
 * `par_iter()`). A typed array made by `sharedArray` is split among the
 * threads in place; any other array is copied once per terminal op (job.ts).
 */
export function parIter<T>(items: ArrayLike<T> | Iterable<T>): ParallelIterator<T> {
  if (ArrayBuffer.isView(items) && !(items instanceof DataView)) {
    if (!typedArrayKinds.some((k) => items instanceof k)) throw new TypeError('parIter: unsupported typed array');
    return new ParallelIterator<T>({ k: 'typed', array: items as unknown as AnyTypedArray });
  }
  if (Array.isArray(items)) return new ParallelIterator<T>({ k: 'array', array: items });
  if (items !== null && typeof items === 'object' && Symbol.iterator in items) {
    return new ParallelIterator<T>({ k: 'array', array: Array.from(items as Iterable<T>) });
  }
  throw new TypeError(`parIter expects an array, a typed array or an iterable, but got ${items === null ? 'null' : typeof items}`);
}

/** The integers `start`, `start + 1`, ..., `end - 1` as a parallel iterator (Rayon's `(start..end).into_par_iter()`). */
export function range(start: number, end: number): ParallelIterator<number> {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw new TypeError(`range expects two integers, like range(0, 100), but got range(${String(start)}, ${String(end)})`);
  }
  return new ParallelIterator<number>({ k: 'range', start, end });
}
