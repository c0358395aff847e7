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
import { type Lifted } from '../runtime/lift.ts';
import { scheduled, scheduledCuts } from '../runtime/scheduler.ts';
import { enterParWork, leaveParWork, pieceMicros, pieceStart, traceEventWithResults, tracePiece, traceResults } from '../runtime/trace.ts';
import { answered, combine, dropHandle, isCloneableHandle, startStretch, type Fuse, type StageKind, type Stretch, type Terminal, type TerminalKind } from './pipeline.ts';
import { chainSite } from './fused.ts';
import { addResults, isResultItem } from './result-sum.ts';
import { mapClosures, runOnRegistry, SEARCH_BATCH, SEARCHES, SKIPPED, type PieceTimes, sourceArray, sourceItem, sourceLength, typedArrayKind, type AnyTypedArray, type Source, type StageSpec, type TerminalSpec } from './job.ts';
import { currentRegistry } from './current.ts';
import { globalRegistry, registryCutoff, registryThreads } from './registry.ts';
import { ordCompare } from './order.ts';
import { type Result } from '../sync/result.ts';
import { isEither, type Either } from './either.ts';
import { runLocal } from '../runtime/run-local.ts';

/** How a par iterator's work is split, and whether it still knows each item's position. */
interface Shape {
  /** `withMinLen`: no piece of work shorter. */
  minLen: number;
  /** `withMaxLen`: no piece of work longer (in source items). */
  maxLen: number;
  /** Source items per item: the product of the `chunks` sizes so far (pieces of work start at multiples of it). */
  align: number;
  /** Rayon's `IndexedParallelIterator`: no `filter`, `flatMap` or `fold` yet, so item i is at position i. */
  indexed: boolean;
}

const PLAIN: Shape = { minLen: 1, maxLen: Infinity, align: 1, indexed: true };

/** A parallel iterator over items of type `T` (Rayon's `ParallelIterator`). */
export class ParallelIterator<T> {
  readonly #source: Source;
  readonly #stages: readonly StageSpec[];
  readonly #shape: Shape;

  /** @internal use `parIter` or `range`. */
  constructor(source: Source, stages: readonly StageSpec[] = [], shape: Shape = PLAIN) {
    this.#source = source;
    this.#stages = stages;
    this.#shape = shape;
  }

  #with<U>(k: StageKind, f: unknown, id?: unknown, api: string = k): ParallelIterator<U> {
    const stage: StageSpec = id === undefined ? { k, f: liftedForPar(f, api) } : { k, f: liftedForPar(f, api), id: liftedForPar(id, api) };
    const keepsPositions = k === 'map' || k === 'inspect' || k === 'mapInit';
    return new ParallelIterator<U>(this.#source, [...this.#stages, stage], keepsPositions ? this.#shape : { ...this.#shape, indexed: false });
  }

  /** Throws unless item positions are still known (Rayon: the method needs an `IndexedParallelIterator`). */
  #needIndexed(api: string): void {
    if (this.#shape.indexed) return;
    throw new TypeError(
      `${api} needs to know each item's position, but filter, filterMap, flatMap or fold came before it and change how many items there are ` +
        `(in Rayon, ${api} is a method of IndexedParallelIterator only). Call ${api} before them.`,
    );
  }

  /** Applies `f` to each item. */
  map<U>(f: (item: T) => U): ParallelIterator<U> {
    return this.#with('map', f);
  }
  /**
   * Like `map`, with a state `init()` makes for each piece of work, which
   * `f` gets beside each item and may change (Rayon's `map_init`: a scratch
   * buffer, a random generator). How many pieces there are is the pool's
   * business, as in Rayon: `init` runs less often than once per item.
   */
  mapInit<S, U>(init: () => S, f: (state: S, item: T) => U): ParallelIterator<U> {
    return this.#with('mapInit', f, init);
  }
  /** Keeps the items for which `predicate` is true. */
  filter(predicate: (item: T) => boolean): ParallelIterator<T> {
    return this.#with('filter', predicate);
  }
  /**
   * Applies `f` to each item and keeps what it returns, except undefined or
   * null (Rayon's `filter_map`, whose `None` is undefined here).
   */
  filterMap<U>(f: (item: T) => U | undefined | null): ParallelIterator<U> {
    return this.#with('filterMap', f);
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
  /**
   * Like `fold`, with a starting value instead of a closure that makes one:
   * each piece of work folds into its own copy of `init` (Rayon's
   * `fold_with`, which clones it). `init` is plain data, copied as a
   * structured clone.
   */
  foldWith<A>(init: A, op: (acc: A, item: T) => A): ParallelIterator<A> {
    return this.#withInit<A>('fold', op, init, 'foldWith');
  }
  /**
   * Like `mapInit`, with a starting value instead of a closure that makes
   * one: each piece of work gets its own copy of `init`, which `f` gets beside
   * each item and may change (Rayon's `map_with`, which clones it).
   */
  mapWith<S, U>(init: S, f: (state: S, item: T) => U): ParallelIterator<U> {
    return this.#withInit<U>('mapInit', f, init, 'mapWith');
  }
  /** A stage whose state starts as a copy of the plain data `init` in each piece (carried as the stage's data `z`). */
  #withInit<U>(k: 'fold' | 'mapInit', f: unknown, init: unknown, api: string): ParallelIterator<U> {
    const stage: StageSpec = { k, f: liftedForPar(f, api), z: [plainInit(init, api, `${k}(() => …, …)`)] };
    return new ParallelIterator<U>(this.#source, [...this.#stages, stage], k === 'mapInit' ? this.#shape : { ...this.#shape, indexed: false });
  }
  /**
   * Folds each `size` consecutive items into an accumulator that starts at
   * `identity()`, giving one accumulator per group, in order, the last from
   * fewer items if they do not divide evenly (Rayon's `fold_chunks`: unlike
   * `fold`, the groups are the caller's, not the pool's, so the iterator
   * still knows each item's position).
   */
  foldChunks<A>(size: number, identity: () => A, op: (acc: A, item: T) => A): ParallelIterator<A> {
    return this.#foldChunks<A>(size, { k: 'foldChunks', f: liftedForPar(op, 'foldChunks'), id: liftedForPar(identity, 'foldChunks') }, 'foldChunks');
  }
  /** `foldChunks` with a starting value, copied for each group, instead of a closure that makes one (Rayon's `fold_chunks_with`). */
  foldChunksWith<A>(size: number, init: A, op: (acc: A, item: T) => A): ParallelIterator<A> {
    return this.#foldChunks<A>(size, { k: 'foldChunks', f: liftedForPar(op, 'foldChunksWith'), z: [plainInit(init, 'foldChunksWith', 'foldChunks(size, () => …, …)')] }, 'foldChunksWith');
  }
  #foldChunks<A>(size: number, stage: StageSpec, api: string): ParallelIterator<A> {
    this.#needIndexed(api);
    // Rayon's message, from its assert.
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`${api}: chunk_size must not be zero, got ${size}`);
    return new ParallelIterator<A>(this.#source, [...this.#stages, { ...stage, d: size }], { ...this.#shape, align: this.#shape.align * size });
  }
  /**
   * Like `fold`, with an `op` that may fail (Rayon's `try_fold`): it
   * returns a Result, as weft/sync's calls do, `{ ok: true, value: acc }`
   * to go on or `{ ok: false, value: e }` to stop. Each piece of work gives
   * one Result: `{ ok: true, value }` with its accumulator, or the failed
   * Result `op` returned, after which that piece folds no more items. As
   * with Rayon, a failure may also stop other pieces early (which items
   * were folded is not promised): combine the Results with `tryReduce`.
   * (Rayon also folds Options; weft's Option is undefined, which cannot
   * carry the accumulator, so here `op` returns Results only.)
   */
  tryFold<A, E>(identity: () => A, op: (acc: A, item: T) => Result<A, E>): ParallelIterator<Result<A, E>> {
    return this.#with('tryFold', op, identity);
  }
  /** `tryFold` with a starting value, copied for each piece, instead of a closure that makes one (Rayon's `try_fold_with`). */
  tryFoldWith<A, E>(init: A, op: (acc: A, item: T) => Result<A, E>): ParallelIterator<Result<A, E>> {
    const stage: StageSpec = { k: 'tryFold', f: liftedForPar(op, 'tryFoldWith'), z: [plainInit(init, 'tryFoldWith', 'tryFold(() => …, …)')] };
    return new ParallelIterator<Result<A, E>>(this.#source, [...this.#stages, stage], { ...this.#shape, indexed: false });
  }
  /** Calls `f` on each item, which it may change in place (an object's fields), and passes it on (Rayon's `update`). */
  update(f: (item: T) => void): ParallelIterator<T> {
    return this.#with<T>('inspect', f, undefined, 'update');
  }
  /** The items themselves: weft's items are values already (Rayon's `copied`, for an iterator over references). */
  copied(): ParallelIterator<T> {
    return this;
  }
  /** The items themselves: weft's items are values already (Rayon's `cloned`, for an iterator over references). */
  cloned(): ParallelIterator<T> {
    return this;
  }
  /** The same iterator: in weft a panic in one piece already stops the others from being started (Rayon's `panic_fuse`). */
  panicFuse(): ParallelIterator<T> {
    return this;
  }
  /** No piece of work handed to a thread will be shorter than `minLen` items (Rayon's `with_min_len`). */
  withMinLen(minLen: number): ParallelIterator<T> {
    return new ParallelIterator<T>(this.#source, this.#stages, { ...this.#shape, minLen: Math.max(1, Math.floor(minLen), this.#shape.minLen) });
  }
  /**
   * No piece of work handed to a thread will be longer than `maxLen` items
   * (Rayon's `with_max_len`): more, smaller pieces, for items whose cost
   * varies a lot. A hint, as in Rayon: a small input may still run whole on
   * the calling thread.
   */
  withMaxLen(maxLen: number): ParallelIterator<T> {
    if (!(maxLen >= 0)) throw new RangeError(`withMaxLen needs a length, got ${maxLen}`);
    // As in Rayon, 0 means the smallest pieces there are: one item each.
    return new ParallelIterator<T>(this.#source, this.#stages, { ...this.#shape, maxLen: Math.min(Math.max(1, Math.floor(maxLen)), this.#shape.maxLen) });
  }
  /** Pairs each item with its position: `[i, item]` (Rayon's `enumerate`, whose tuple is `(i, item)`). */
  enumerate(): ParallelIterator<[number, T]> {
    this.#needIndexed('enumerate');
    return new ParallelIterator<[number, T]>(this.#source, [...this.#stages, { k: 'enumerate', d: this.#shape.align }], this.#shape);
  }
  /**
   * Pairs each item with the item at the same position of `other` (an array,
   * a typed array or another indexed par iterator): `[item, otherItem]`, as
   * many pairs as the shorter side has items (Rayon's `zip`). A par iterator
   * given as `other` is collected when this one runs, only as far as this
   * one has items (so it may be `repeat(x)`).
   */
  zip<U>(other: ParallelIterator<U> | ArrayLike<U> | Iterable<U>): ParallelIterator<[T, U]> {
    this.#needIndexed('zip');
    if (other instanceof ParallelIterator) other.#needIndexed('zip');
    else if (!isArrayLike(other) && !(other !== null && typeof other === 'object' && Symbol.iterator in other)) {
      throw new TypeError(`zip expects an array, a typed array or a par iterator, but got ${other === null ? 'null' : typeof other}`);
    }
    const side = other instanceof ParallelIterator || isArrayLike(other) ? other : Array.from(other);
    const stage: StageSpec & { other: unknown } = { k: 'zip', d: this.#shape.align, other: side };
    return new ParallelIterator<[T, U]>(this.#source, [...this.#stages, stage], this.#shape);
  }
  /**
   * Groups the items into arrays of `size` consecutive items, the last one
   * shorter if they do not divide evenly (Rayon's `chunks`).
   */
  chunks(size: number): ParallelIterator<T[]> {
    this.#needIndexed('chunks');
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunks needs a size of at least 1, got ${size}`);
    return new ParallelIterator<T[]>(this.#source, [...this.#stages, { k: 'chunks', d: size }], { ...this.#shape, align: this.#shape.align * size });
  }

  /** Calls `f` on every item, in no particular order. */
  forEach(f: (item: T) => void): void {
    this.#run({ k: 'forEach', f: liftedForPar(f, 'forEach') });
  }
  /** `forEach` with a state per piece of work, as `mapInit` makes it (Rayon's `for_each_init`). */
  forEachInit<S>(init: () => S, f: (state: S, item: T) => void): void {
    this.#with('mapInit', f, init).#run({ k: 'count' });
  }
  /** `forEach` with a state per piece of work that starts as a copy of `init` (Rayon's `for_each_with`). */
  forEachWith<S>(init: S, f: (state: S, item: T) => void): void {
    this.#withInit('mapInit', f, init, 'forEachWith').#run({ k: 'count' });
  }
  /**
   * Calls `f` on every item until one call fails (Rayon's `try_for_each`).
   * `f` returns a Result as weft/sync's calls do: `{ ok: false, value: e }`
   * fails, anything else (`{ ok: true, … }`, or nothing) goes on. Gives back
   * a failed Result `f` returned (as in Rayon, not necessarily the first in
   * source order), or `{ ok: true, value: undefined }`. Items after a
   * failure may or may not have been visited, as in Rayon.
   */
  tryForEach<E>(f: (item: T) => Result<unknown, E> | void): Result<undefined, E> {
    return firstErr(this.#with<unknown>('map', f, undefined, 'tryForEach'));
  }
  /** `tryForEach` with a state per piece of work that starts as a copy of `init`, as `mapWith`'s (Rayon's `try_for_each_with`). */
  tryForEachWith<S, E>(init: S, f: (state: S, item: T) => Result<unknown, E> | void): Result<undefined, E> {
    return firstErr(this.#withInit<unknown>('mapInit', f, init, 'tryForEachWith'));
  }
  /** `tryForEach` with a state per piece of work that `init()` makes, as `mapInit`'s (Rayon's `try_for_each_init`). */
  tryForEachInit<S, E>(init: () => S, f: (state: S, item: T) => Result<unknown, E> | void): Result<undefined, E> {
    return firstErr(this.#with<unknown>('mapInit', f, init, 'tryForEachInit'));
  }
  /**
   * Combines items that are Results (Rayon's `try_reduce`): the first
   * `{ ok: false }` item, or the first `{ ok: false }` that `op` returns,
   * is the answer; otherwise `{ ok: true, value }` with the `op` of all the
   * items' values, starting from `identity()`. `op` returns a Result too and
   * must be associative, as for `reduce`.
   */
  tryReduce<U, E>(this: ParallelIterator<Result<U, E>>, identity: () => U, op: (a: U, b: U) => Result<U, E>): Result<U, E> {
    // The items are combined here, on the calling thread, so the closures need not go to the pool.
    let acc: Result<U, E> = { ok: true, value: closure(identity, 'tryReduce')() as U };
    const combine = closure(op, 'tryReduce') as (a: U, b: U) => Result<U, E>;
    for (const item of this.collect()) {
      if (!isResult(item)) throw new TypeError(`tryReduce expects items that are Results ({ ok, value }), but met ${describe(item)}`);
      if (!item.ok) return item;
      acc = combine((acc as { value: U }).value, item.value);
      if (!isResult(acc)) throw new TypeError(`tryReduce's op must return a Result ({ ok, value }), but returned ${describe(acc)}`);
      if (!acc.ok) return acc;
    }
    return acc;
  }
  /** `tryReduce` with no identity: undefined when there are no items (Rayon's `try_reduce_with`, whose `None` is undefined). */
  tryReduceWith<U, E>(this: ParallelIterator<Result<U, E>>, op: (a: U, b: U) => Result<U, E>): Result<U, E> | undefined {
    const combine = closure(op, 'tryReduceWith') as (a: U, b: U) => Result<U, E>;
    let acc: Result<U, E> | undefined;
    for (const item of this.collect()) {
      if (!isResult(item)) throw new TypeError(`tryReduceWith expects items that are Results ({ ok, value }), but met ${describe(item)}`);
      if (!item.ok) return item;
      acc = acc === undefined ? item : combine((acc as { value: U }).value, item.value);
      if (!isResult(acc)) throw new TypeError(`tryReduceWith's op must return a Result ({ ok, value }), but returned ${describe(acc)}`);
      if (!acc.ok) return acc;
    }
    return acc;
  }
  /**
   * Combines all items with `op`, starting from `identity()` in each piece of
   * work. `op` must be associative and `identity()` its neutral element, as in
   * Rayon; the pieces are combined in source order.
   */
  reduce(identity: () => T, op: (a: T, b: T) => T): T {
    return this.#run({ k: 'reduce', f: liftedForPar(op, 'reduce'), id: liftedForPar(identity, 'reduce') }) as T;
  }
  /**
   * The sum of the items (0 when there are none). Items that are Results
   * sum as Rust's `Sum for Result`: the first failed one, or
   * `{ ok: true, value: the sum of the values }`; `product` likewise.
   */
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
  /** The last item, in source order, for which `predicate` is true, or undefined (Rayon's `find_last`). */
  findLast(predicate: (item: T) => boolean): T | undefined {
    const lifted = liftedForPar(predicate, 'findLast');
    const fromTheEnd = this.#lastOfRange(lifted);
    if (fromTheEnd !== NOT_A_RANGE) return fromTheEnd as T | undefined;
    return this.#run({ k: 'findLast', f: lifted }) as T | undefined;
  }
  /**
   * `findLast` over a plain long `range` (no adapters), searched from its end
   * in blocks that double, each run as a par iterator of its own: Rayon's
   * `find_last` searches right halves first, so it answers at once for the
   * last numbers of a huge range, where one pass from the start would take
   * as long as the range is. (Its items are integers: a block's undefined
   * means nothing matched there.) NOT_A_RANGE for any other iterator.
   */
  #lastOfRange(predicate: Lifted): unknown {
    const source = this.#source;
    if (source.k !== 'range' || this.#stages.length > 0 || source.end - source.start <= LAST_BLOCK * 16) return NOT_A_RANGE;
    let size = LAST_BLOCK;
    for (let hi = source.end; hi > source.start; ) {
      const lo = Math.max(source.start, hi - size);
      const block = new ParallelIterator<number>({ k: 'range', start: lo, end: hi }, [], this.#shape);
      const found = block.#run({ k: 'findLast', f: predicate });
      if (found !== undefined) return found;
      hi = lo;
      size = Math.min(size * 2, LAST_BLOCK * 256);
    }
    return undefined;
  }
  /**
   * Combines all items with `op`, with no identity: undefined when there are
   * none (Rayon's `reduce_with`, whose `None` is undefined here). `op` must
   * be associative; pieces are combined in source order.
   */
  reduceWith(op: (a: T, b: T) => T): T | undefined {
    return this.#run({ k: 'reduceWith', f: liftedForPar(op, 'reduceWith') }) as T | undefined;
  }
  /** The position of the first item for which `predicate` is true, or undefined (Rayon's `position_first`). */
  positionFirst(predicate: (item: T) => boolean): number | undefined {
    this.#needIndexed('positionFirst');
    return this.#run({ k: 'positionFirst', f: liftedForPar(predicate, 'positionFirst'), d: this.#shape.align }) as number | undefined;
  }
  /** The position of some item for which `predicate` is true (not necessarily the first), or undefined (Rayon's `position_any`). */
  positionAny(predicate: (item: T) => boolean): number | undefined {
    this.#needIndexed('positionAny');
    return this.#run({ k: 'positionAny', f: liftedForPar(predicate, 'positionAny'), d: this.#shape.align }) as number | undefined;
  }
  /** The position of the last item for which `predicate` is true, or undefined (Rayon's `position_last`). */
  positionLast(predicate: (item: T) => boolean): number | undefined {
    this.#needIndexed('positionLast');
    const lifted = liftedForPar(predicate, 'positionLast');
    const fromTheEnd = this.#lastOfRange(lifted);
    if (fromTheEnd !== NOT_A_RANGE) return fromTheEnd === undefined ? undefined : (fromTheEnd as number) - (this.#source as { start: number }).start;
    return this.#run({ k: 'positionLast', f: lifted, d: this.#shape.align }) as number | undefined;
  }
  /**
   * The items in an array, in source order (Rayon's `collect::<Vec<_>>()`).
   * Rust's `collect` picks the collection from the type asked for; here the
   * collection is passed: `collect(Set)` (a `HashSet`), `collect(Map)` from
   * `[key, value]` items (a `HashMap`, later keys winning), `collect(String)`
   * from strings or chars (a `String`). For `Result<Vec<_>, E>` and
   * `Option<Vec<_>>` see `collectResult` and `collectOption`.
   */
  collect(): T[];
  collect(into: ArrayConstructor): T[];
  collect(into: SetConstructor): Set<T>;
  collect(into: MapConstructor): T extends readonly [infer K, infer V] ? Map<K, V> : Map<unknown, unknown>;
  collect(into: StringConstructor): string;
  collect(into?: ArrayConstructor | SetConstructor | MapConstructor | StringConstructor): T[] | Set<T> | Map<unknown, unknown> | string {
    const items = this.#run({ k: 'collect' }) as T[];
    if (into === undefined || into === Array) return items;
    if (into === Set) return new Set(items);
    if (into === String) {
      for (const x of items) if (typeof x !== 'string') throw new TypeError(`collect(String) joins strings (Rust collects chars or strings into a String), but met ${kindOf(x)}`);
      return items.join('');
    }
    if (into === Map) {
      const map = new Map<unknown, unknown>();
      for (const pair of items) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`collect(Map) makes a Map from [key, value] pairs, but met ${kindOf(pair)}`);
        map.set(pair[0], pair[1]);
      }
      return map;
    }
    throw new TypeError('collect collects into an array (collect() or collect(Array)), a Set (collect(Set)), a Map (collect(Map)) or a string (collect(String))');
  }
  /**
   * Items that are Results collected as Rust's `collect::<Result<Vec<_>, E>>()`:
   * `{ ok: true, value: [the values, in order] }`, or a failed Result met
   * among the items (as with Rayon, any one, here the first in source order).
   */
  collectResult<U, E>(this: ParallelIterator<Result<U, E>>): Result<U[], E> {
    const values: U[] = [];
    for (const r of this.collect()) {
      if (!isResult(r)) throw new TypeError(`collectResult expects items that are Results ({ ok, value }), but met ${describe(r)}`);
      if (!r.ok) return r;
      values.push(r.value);
    }
    return { ok: true, value: values };
  }
  /**
   * Items that are Options (a value, or undefined or null for `None`)
   * collected as Rust's `collect::<Option<Vec<_>>>()`: the values in order,
   * or undefined when any item is `None`.
   */
  collectOption<U>(this: ParallelIterator<U | undefined | null>): U[] | undefined {
    const items = this.collect();
    for (const x of items) if (x === undefined || x === null) return undefined;
    return items as U[];
  }

  // Adapters without a closure of their own that reorder, cut or join whole sequences (Rayon's chain, skip,
  // rev, step_by, flatten): the items so far are collected, in order, and a new iterator runs over them
  // (`take` only cuts the source).
  // The results are Rayon's; the stages before the adapter run when it is called, not at the terminal op.

  /** This iterator's items, then `other`'s (Rayon's `chain`). */
  chain(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): ParallelIterator<T> {
    return parIter(this.collect().concat(itemsOf(other, 'chain')));
  }
  /** All but the first `n` items (Rayon's `skip`). */
  skip(n: number): ParallelIterator<T> {
    this.#needIndexed('skip');
    return parIter(this.collect().slice(count(n, 'skip')));
  }
  /**
   * The first `n` items (Rayon's `take`). The source is cut to what they
   * need, so the closures before it run for those items only, when the
   * iterator runs, and `repeat(x).take(n)` ends.
   */
  take(n: number): ParallelIterator<T> {
    this.#needIndexed('take');
    return this.#prefix(count(n, 'take'));
  }
  /** This indexed iterator with its source cut to its first `items` items' worth (`align` source items each). */
  #prefix(items: number): ParallelIterator<T> {
    const source = this.#source;
    const keep = items * this.#shape.align;
    if (keep >= sourceLength(source)) return this;
    const cut: Source =
      source.k === 'range'
        ? { k: 'range', start: source.start, end: source.start + keep }
        : source.k === 'typed'
          ? { k: 'typed', array: source.array.subarray(0, keep) as AnyTypedArray }
          : { k: 'array', array: source.array.slice(0, keep) };
    return new ParallelIterator<T>(cut, this.#stages, this.#shape);
  }
  /**
   * The same iterator (Rayon's par iterators are `Clone`): weft's is a
   * description its terminal op runs, never used up, so each copy runs the
   * chain again, as a clone of Rayon's does.
   */
  clone(): ParallelIterator<T> {
    // A handle a `…With` method owns is cloned with the iterator, as Rust's Clone of MapWith clones it.
    const stages = this.#stages.map((stage) =>
      stage.id === undefined && stage.z !== undefined && stage.k !== 'zip' && stage.k !== 'repeat' && isCloneableHandle(stage.z[0]) ? { ...stage, z: [stage.z[0].clone()] } : stage,
    );
    return new ParallelIterator<T>(this.#source, stages, this.#shape);
  }
  /** The items in reverse order (Rayon's `rev`). */
  rev(): ParallelIterator<T> {
    this.#needIndexed('rev');
    return parIter(this.collect().reverse());
  }
  /** Every `step`-th item, starting with the first (Rayon's `step_by`). */
  stepBy(step: number): ParallelIterator<T> {
    this.#needIndexed('stepBy');
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`stepBy needs a step of at least 1, got ${step}`);
    return parIter(this.collect().filter((_, i) => i % step === 0));
  }
  /**
   * Every run of `size` consecutive items, overlapping, in order (Rayon's
   * `par_windows`): none when there are fewer than `size` items.
   */
  windows(size: number): ParallelIterator<T[]> {
    this.#needIndexed('windows');
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`windows needs a size of at least 1, got ${size}`);
    const items = this.collect();
    const out: T[][] = [];
    for (let i = 0; i + size <= items.length; i++) out.push(items.slice(i, i + size));
    return parIter(out);
  }
  /** Like `chunks`, but every group has exactly `size` items: the remainder is left out (Rayon's `par_chunks_exact`). */
  chunksExact(size: number): ChunksExact<T[], T[]> {
    this.#needIndexed('chunksExact');
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunksExact needs a size of at least 1, got ${size}`);
    const groups = this.chunks(size).collect();
    const rest = groups.length > 0 && groups[groups.length - 1]!.length < size ? groups.pop()! : [];
    return new ChunksExact<T[], T[]>({ k: 'array', array: groups }, [], rest);
  }
  /**
   * Groups of `size` consecutive items counted from the end, the last group
   * (the first items) shorter if they do not divide evenly; the groups come
   * last first (Rayon's `par_rchunks`).
   */
  rchunks(size: number): ParallelIterator<T[]> {
    this.#needIndexed('rchunks');
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`rchunks needs a size of at least 1, got ${size}`);
    const items = this.collect();
    const out: T[][] = [];
    for (let hi = items.length; hi > 0; hi -= size) out.push(items.slice(Math.max(0, hi - size), hi));
    return parIter(out);
  }
  /** Like `rchunks`, but every group has exactly `size` items: the first items, left over, are left out (Rayon's `par_rchunks_exact`). */
  rchunksExact(size: number): ChunksExact<T[], T[]> {
    this.#needIndexed('rchunksExact');
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`rchunksExact needs a size of at least 1, got ${size}`);
    const items = this.collect();
    const out: T[][] = [];
    let hi = items.length;
    for (; hi - size >= 0; hi -= size) out.push(items.slice(hi - size, hi));
    return new ChunksExact<T[], T[]>({ k: 'array', array: out }, [], items.slice(0, hi));
  }
  /**
   * Runs of consecutive items in which `sameGroup(a, b)` holds for every
   * two neighbours, in order (Rayon's `par_chunk_by`). `sameGroup` runs on
   * the calling thread.
   */
  chunkBy(sameGroup: (a: T, b: T) => boolean): ParallelIterator<T[]> {
    const same = closure(sameGroup, 'chunkBy') as (a: T, b: T) => boolean;
    const out: T[][] = [];
    for (const x of this.collect()) {
      const last = out.at(-1);
      if (last !== undefined && same(last[last.length - 1]!, x)) last.push(x);
      else out.push([x]);
    }
    return parIter(out);
  }
  /**
   * Like `zip`, but both sides must have as many items: panics otherwise
   * (Rayon's `zip_eq`).
   */
  zipEq<U>(other: ParallelIterator<U> | ArrayLike<U> | Iterable<U>): ParallelIterator<[T, U]> {
    this.#needIndexed('zipEq');
    if (other instanceof ParallelIterator) other.#needIndexed('zipEq');
    const items = this.collect();
    const others = itemsOf(other, 'zipEq');
    if (items.length !== others.length) throw new Error(`zipEq: the two sides have different lengths, ${items.length} and ${others.length} (Rust: assertion \`left == right\` failed)`);
    return parIter(items).zip(others);
  }
  /** The items of each item, an iterable (arrays, sets...), in order (Rayon's `flatten`). */
  flatten(): ParallelIterator<T extends Iterable<infer U> ? U : never> {
    const out: unknown[] = [];
    for (const inner of this.collect()) {
      if (inner === null || typeof inner !== 'object' || !(Symbol.iterator in inner)) {
        throw new TypeError(`flatten expects items that are arrays or other iterables, but met ${inner === null ? 'null' : typeof inner}`);
      }
      for (const x of inner as Iterable<unknown>) out.push(x);
    }
    return parIter(out) as ParallelIterator<T extends Iterable<infer U> ? U : never>;
  }

  /** The product of the items (1 when there are none; Rayon's `product`). */
  product(): T {
    const items = this.collect() as unknown[];
    if (items.length > 0 && isResultItem(items[0])) return items.reduce((a, b) => addResults(a, b, (x, y) => x * y)) as T;
    if (items.length > 0 && typeof items[0] === 'bigint') return items.reduce((a: unknown, b) => (a as bigint) * (b as bigint), 1n) as T;
    return items.reduce((a: unknown, b) => (a as number) * (b as number), 1) as T;
  }
  /** `[items for which predicate is true, the others]`, each in order (Rayon's `partition`). */
  partition(predicate: (item: T) => boolean): [T[], T[]] {
    const items = this.collect();
    const flags = parIter(items).#with<boolean>('map', predicate).collect();
    const yes: T[] = [];
    const no: T[] = [];
    for (let i = 0; i < items.length; i++) (flags[i] ? yes : no).push(items[i]!);
    return [yes, no];
  }
  /** Pairs `[a, b]` taken apart into `[as, bs]` (Rayon's `unzip`). */
  unzip(): [T extends readonly [infer A, unknown] ? A[] : unknown[], T extends readonly [unknown, infer B] ? B[] : unknown[]] {
    const as: unknown[] = [];
    const bs: unknown[] = [];
    for (const pair of this.collect()) {
      if (!Array.isArray(pair)) throw new TypeError(`unzip expects [a, b] pairs, but met ${pair === null ? 'null' : typeof pair}`);
      as.push(pair[0]);
      bs.push(pair[1]);
    }
    return [as, bs] as never;
  }
  /**
   * `[lefts, rights]`: `f` makes each item an Either, `Either.left(a)` or
   * `Either.right(b)`, and the lefts' values and the rights' go to two
   * arrays, each in order (Rayon's `partition_map`).
   */
  partitionMap<L, R>(f: (item: T) => Either<L, R>): [L[], R[]] {
    const lefts: L[] = [];
    const rights: R[] = [];
    for (const e of this.#with<Either<L, R>>('map', f, undefined, 'partitionMap').collect()) {
      if (!isEither(e)) throw new TypeError(`partitionMap's closure must return an Either (Either.left(x) or Either.right(x)), but returned ${describe(e, 'left')}`);
      if (e.left) lefts.push(e.value);
      else rights.push(e.value);
    }
    return [lefts, rights];
  }
  /** Empties `left` and `right` and fills them with the pairs' first and second items, in order (Rayon's `unzip_into_vecs`). */
  unzipIntoVecs<A, B>(this: ParallelIterator<readonly [A, B]>, left: A[], right: B[]): void {
    if (!Array.isArray(left) || !Array.isArray(right)) throw new TypeError('unzipIntoVecs expects two arrays to fill');
    this.#needIndexed('unzipIntoVecs');
    const [as, bs] = this.unzip() as unknown as [A[], B[]];
    left.length = 0;
    right.length = 0;
    for (const a of as) left.push(a);
    for (const b of bs) right.push(b);
  }
  /** The positions of the items for which `predicate` is true, in order, as a par iterator (Rayon's `positions`). */
  positions(predicate: (item: T) => boolean): ParallelIterator<number> {
    this.#needIndexed('positions');
    const stage: StageSpec = { k: 'positions', f: liftedForPar(predicate, 'positions'), d: this.#shape.align };
    return new ParallelIterator<number>(this.#source, [...this.#stages, stage], { ...this.#shape, indexed: false });
  }
  /** The first value, in source order, that `f` gives other than undefined or null (Rayon's `find_map_first`). */
  findMapFirst<U>(f: (item: T) => U | undefined | null): U | undefined {
    return this.#with<U>('filterMap', f).collect()[0];
  }
  /** The last value, in source order, that `f` gives other than undefined or null (Rayon's `find_map_last`). */
  findMapLast<U>(f: (item: T) => U | undefined | null): U | undefined {
    return this.#with<U>('filterMap', f).collect().at(-1);
  }
  /** Some value that `f` gives other than undefined or null (Rayon's `find_map_any`). */
  findMapAny<U>(f: (item: T) => U | undefined | null): U | undefined {
    return this.findMapFirst(f);
  }
  /** How many items there are (Rayon's `IndexedParallelIterator::len`). */
  len(): number {
    this.#needIndexed('len');
    return this.count();
  }
  /**
   * Compares the items with `other`'s (a par iterator, an array or an
   * iterable) lexicographically, as Rust's Ord does (Rayon's `cmp`): -1,
   * 0 or 1 for Rust's `Less`, `Equal`, `Greater`. A shorter sequence that
   * is a prefix of the other is less. Both sides are collected first, so the
   * closures before it (a `map`, an `inspect`) run for every item, where
   * Rayon's stop soon after the first pair that differs (rayon's
   * check_cmp_short_circuit); the same goes for `partialCmp`, `eq`, `ne`,
   * `lt`, `le`, `gt` and `ge`.
   */
  cmp(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): -1 | 0 | 1 {
    this.#needIndexed('cmp');
    return Math.sign(ordCompare(this.collect(), itemsOf(other, 'cmp'))) as -1 | 0 | 1;
  }
  /**
   * Like `cmp`, as Rust's PartialOrd does (Rayon's `partial_cmp`):
   * undefined (Rust's `None`) when the first items that are not equal
   * cannot be ordered, as NaN cannot.
   */
  partialCmp(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): -1 | 0 | 1 | undefined {
    this.#needIndexed('partialCmp');
    return partialCompare(this.collect(), itemsOf(other, 'partialCmp'));
  }
  /** Whether the items equal `other`'s, one by one, and there are as many (Rayon's `eq`; NaN equals nothing). */
  eq(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    this.#needIndexed('eq');
    return partialEqual(this.collect(), itemsOf(other, 'eq'));
  }
  /** `!eq(other)` (Rayon's `ne`). */
  ne(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    this.#needIndexed('ne');
    return !partialEqual(this.collect(), itemsOf(other, 'ne'));
  }
  /** Whether the items are lexicographically less than `other`'s (Rayon's `lt`; false when `partialCmp` is undefined). */
  lt(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    return this.partialCmp(other) === -1;
  }
  /** Less or equal (Rayon's `le`). */
  le(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    const c = this.partialCmp(other);
    return c === -1 || c === 0;
  }
  /** Greater (Rayon's `gt`). */
  gt(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    return this.partialCmp(other) === 1;
  }
  /** Greater or equal (Rayon's `ge`). */
  ge(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): boolean {
    const c = this.partialCmp(other);
    return c === 1 || c === 0;
  }
  /**
   * This iterator's items and `other`'s taken in turn, starting with this
   * one's; once one side runs out, the rest of the other (Rayon's `interleave`).
   */
  interleave(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): ParallelIterator<T> {
    this.#needIndexed('interleave');
    const a = this.collect();
    const b = itemsOf(other, 'interleave');
    const out: T[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) out.push(a[i]!);
      if (i < b.length) out.push(b[i]!);
    }
    return parIter(out);
  }
  /**
   * Like `interleave`, stopping once the side whose turn it is has no item
   * left (Rayon's `interleave_shortest`).
   */
  interleaveShortest(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): ParallelIterator<T> {
    this.#needIndexed('interleaveShortest');
    const a = this.collect();
    const b = itemsOf(other, 'interleaveShortest');
    const out: T[] = [];
    for (let i = 0; ; i++) {
      if (i >= a.length) break;
      out.push(a[i]!);
      if (i >= b.length) break;
      out.push(b[i]!);
    }
    return parIter(out);
  }
  /** The items with a copy of `separator` between each two (Rayon's `intersperse`). */
  intersperse(separator: T): ParallelIterator<T> {
    const out: T[] = [];
    for (const x of this.collect()) {
      if (out.length > 0) out.push(separator);
      out.push(x);
    }
    return parIter(out);
  }
  /**
   * The items up to the first undefined or null, left out with all after it
   * (Rayon's `while_some`, over items that are Options, whose `None` is
   * undefined here). As in Rayon, the None stops the piece of work that met
   * it (on the calling thread, the whole iterator), and items after it that
   * other threads had already reached may still come through.
   */
  whileSome(): ParallelIterator<NonNullable<T>> {
    return new ParallelIterator<NonNullable<T>>(this.#source, [...this.#stages, { k: 'whileSome' }], { ...this.#shape, indexed: false });
  }
  /** All but `n` of the items, in no promised order (Rayon's `skip_any`): here, all but the first `n`. */
  skipAny(n: number): ParallelIterator<T> {
    return parIter(this.collect().slice(count(n, 'skipAny')));
  }
  /** `n` of the items, in no promised order (Rayon's `take_any`): here, the first `n`. */
  takeAny(n: number): ParallelIterator<T> {
    return parIter(this.collect().slice(0, count(n, 'takeAny')));
  }
  /**
   * Items for which `predicate` is true, taken until it is false for one
   * (Rayon's `take_any_while`, which promises no order): here, the items
   * before the first for which it is false.
   */
  takeAnyWhile(predicate: (item: T) => boolean): ParallelIterator<T> {
    const items = this.collect();
    const flags = parIter(items).#with<boolean>('map', predicate, undefined, 'takeAnyWhile').collect();
    const end = flags.findIndex((f) => !f);
    return parIter(end < 0 ? items : items.slice(0, end));
  }
  /**
   * The items left once those for which `predicate` is true are skipped,
   * until it is false for one (Rayon's `skip_any_while`): here, from the
   * first item for which it is false.
   */
  skipAnyWhile(predicate: (item: T) => boolean): ParallelIterator<T> {
    const items = this.collect();
    const flags = parIter(items).#with<boolean>('map', predicate, undefined, 'skipAnyWhile').collect();
    const start = flags.findIndex((f) => !f);
    return parIter(start < 0 ? [] : items.slice(start));
  }
  /** `flatMap` (Rayon's `flat_map_iter`, for closures that return a sequential iterator). */
  flatMapIter<U>(f: (item: T) => Iterable<U>): ParallelIterator<U> {
    return this.#with<U>('flatMap', f, undefined, 'flatMapIter');
  }
  /** `flatten` (Rayon's `flatten_iter`). */
  flattenIter(): ParallelIterator<T extends Iterable<infer U> ? U : never> {
    return this.flatten();
  }
  /** The items, collected in order, one by one: so a par iterator can be what `flatMap` returns, as in Rayon. */
  [Symbol.iterator](): Iterator<T> {
    return this.collect()[Symbol.iterator]();
  }
  /** Empties `target` and fills it with the items, in order (Rayon's `collect_into_vec`). */
  collectIntoVec(target: T[]): void {
    if (!Array.isArray(target)) throw new TypeError('collectIntoVec expects an array to fill');
    const items = this.collect();
    target.length = 0;
    for (const x of items) target.push(x);
  }

  /** The stages with each `zip`'s other side made an array, and how many source items the zips leave. */
  #resolved(n: number): { stages: StageSpec[]; n: number } {
    const stages = this.#stages.map((stage) => {
      if (stage.k !== 'zip') return stage;
      const side = (stage as StageSpec & { other: unknown }).other;
      // A par iterator on the other side runs for the items this side has only (it may be `repeatn(x, 2 ** 53)`).
      const z = side instanceof ParallelIterator ? side.#prefix(Math.ceil(n / stage.d!)).collect() : (side as ArrayLike<unknown>);
      n = Math.min(n, z.length * stage.d!);
      return { k: stage.k, d: stage.d!, z };
    });
    return { stages, n };
  }

  /**
   * A `…With` method given a weft handle (`forEachWith(tx, …)`) owns it, as
   * Rayon's takes it by value: each piece of work clones it and drops its
   * clone (pipeline.ts), and the terminal op drops the handle itself, so a
   * channel fed this way closes once the iterator is done, as in Rust.
   */
  #dropHandleInits(): void {
    for (const stage of this.#stages) {
      if (stage.id === undefined && stage.z !== undefined && stage.k !== 'zip' && stage.k !== 'repeat' && isCloneableHandle(stage.z[0])) dropHandle(stage.z[0]);
    }
  }

  #run(terminal: TerminalSpec): unknown {
    const traced: Traced = { at: -1, timed: pieceStart() >= 0, work: { total: 0, longest: 0 } };
    let result: unknown;
    enterParWork(); // the closures' atomic changes are traced as the pool's work (trace.ts, par-atomic)
    try {
      result = this.#runTraced(terminal, traced);
    } finally {
      leaveParWork();
      this.#dropHandleInits();
    }
    // The par-iter event carries the result, when it is a number, and in a free run how long the pieces took.
    traceResults(traced.at, result, undefined, traced.timed ? { first: traced.work.total, second: traced.work.longest } : undefined, false, traced.pieces, traced.poolThreads);
    return result;
  }

  /** The terminal op's work, recorded as a par-iter event at `traced.at`, its pieces' time in `traced.work`. */
  #runTraced(terminal: TerminalSpec, traced: Traced): unknown {
    const source = this.#source;
    const { minLen, maxLen, align } = this.#shape;
    const resolved = this.#resolved(sourceLength(source));
    const n = resolved.n;
    const stageSpecs = resolved.stages;
    const stages = stageSpecs.map((s) => mapClosures(s, (l: Lifted) => l.fn)) as never[];
    const local = mapClosures(terminal, (l: Lifted) => l.fn) as never;
    const fuse: Fuse = { site: chainSite(stageSpecs, terminal), start: source.k === 'range' ? source.start : 0 };
    const stretch = startStretch(sourceItem(source), stages, local, sourceArray(source), fuse);
    const memory = context().memory;
    traced.at = traceEventWithResults('par-iter', n);
    // `withMaxLen` bounds every piece, the calling thread's too (a `fold`
    // gives one accumulator per piece): pieces of `pieceLen`, a multiple of `align`.
    const pieceLen = Number.isFinite(maxLen) ? Math.max(align, Math.floor(Math.max(maxLen, minLen) / align) * align) : Infinity;
    if (scheduled(memory) && align === 1 && pieceLen === Infinity) {
      // Under a seed everything runs here (withMaxLen, chunks, zip and enumerate aside: below), but cut into pieces the seed chooses and combined as the pool's chunks
      // are, so an operation that only works for one split (a reduce that isn't associative) shows it from seed to seed.
      const bounds = [0, ...scheduledCuts(memory, n, minLen, seededRuns++), n];
      if (n > SEEDED_SEARCH_SPLIT && SEARCHES.has(terminal.k)) {
        return interleavedSearch(bounds, local, (i) => (i === 0 ? stretch : startStretch(sourceItem(source), stages, local, sourceArray(source), fuse)));
      }
      const parts: unknown[] = [];
      for (let p = 0; p + 1 < bounds.length; p++) {
        const piece = p === 0 ? stretch : startStretch(sourceItem(source), stages, local, sourceArray(source), fuse);
        piece.feed(bounds[p]!, bounds[p + 1]!);
        const part = piece.finish();
        parts.push(part);
        if (traced.at >= 0) tracePiece(traced.at, bounds[p]!, bounds[p + 1]!, pieceResult(local, part));
        if (answered(local, part)) break; // as a chunk that has the answer stops the later ones
      }
      traced.pieces = parts.length;
      const pool = currentRegistry();
      if (pool !== globalRegistry()) traced.poolThreads = registryThreads(pool);
      if (terminal.k === 'reduce') return reduceTree(local, parts, bounds.reduce((h, b) => (h * 31 + b) | 0, 7));
      return combine(local, parts);
    }
    const work = traced.work;
    if (n <= minLen || scheduled(memory)) {
      if (pieceLen >= n) {
        const started = pieceStart();
        stretch.feed(0, n);
        const part = stretch.finish();
        addPiece(work, pieceMicros(started));
        return combine(local, [part]);
      }
      const parts: unknown[] = [];
      for (let lo = 0; lo < n; ) {
        // A remainder shorter than `withMinLen` joins the last piece.
        const hi = n - (lo + pieceLen) < minLen ? n : lo + pieceLen;
        const started = pieceStart();
        const piece = startStretch(sourceItem(source), stages, local, sourceArray(source), fuse);
        piece.feed(lo, hi);
        parts.push(piece.finish());
        addPiece(work, pieceMicros(started));
        if (answered(local, parts[parts.length - 1])) break;
        lo = hi;
      }
      return combine(local, parts);
    }
    const registry = currentRegistry();
    // The sequential prefix (see the file's header): run here for a short
    // probe, estimate from it how long the rest would take here, and keep it
    // here unless that is more than the pool's cut-off. It ends at a
    // multiple of `align`, so a `chunks` group is never split.
    const cutoffMs = Number.isFinite(maxLen) ? 0 : registryCutoff(registry) / 1000;
    const prefixStarted = pieceStart();
    let done = 0;
    if (cutoffMs > 0) {
      const started = performance.now();
      const probeMs = cutoffMs / PROBE_FRACTION;
      // The prefix is a piece of work too: at least `withMinLen` items. It starts with one item; each next batch
      // is what the items so far say will fill the probe (at least twice the last batch, at most 16 times: so
      // cheap items take a few clock reads, not one per doubling), and doubles once the probe is over. The
      // estimate trusts PROBE_ITEMS items or more (one cold item, its closure not yet compiled, says little), or
      // items that already took longer than the whole cut-off: so a few expensive items go to the pool after the first.
      let batch = Math.max(1, minLen);
      while (done < n) {
        const hi = Math.min(n, Math.ceil((done + batch) / align) * align);
        done = stretch.feed(done, hi) ? hi : n;
        const elapsed = performance.now() - started;
        if ((done >= PROBE_ITEMS || elapsed >= cutoffMs) && elapsed >= probeMs && (elapsed / done) * (n - done) > cutoffMs) break;
        const toProbe = elapsed < probeMs ? ((probeMs - elapsed) * done) / elapsed : 0; // Infinity when the clock has not moved
        batch = Math.max(batch * 2, Math.min(batch * 16, Math.floor(toProbe)));
      }
    }
    // What is left is too little for a piece of its own: finish it here.
    if (done > 0 && n - done < minLen) {
      stretch.feed(done, n);
      done = n;
    }
    // No prefix ran (a cut-off of 0, or `withMaxLen`): it is no piece, so a `fold` gives no accumulator for it.
    const prefix = done > 0 ? [stretch.finish()] : [];
    if (done > 0) addPiece(work, pieceMicros(prefixStarted));
    if (done >= n || (prefix.length > 0 && answered(local, prefix[0]))) return combine(local, prefix);
    const parts = runOnRegistry(registry, source, done, n, { minLen, maxLen, align }, stageSpecs, terminal, traced.timed ? work : undefined).map((part) =>
      part === SKIPPED ? neutral(terminal.k) : part,
    );
    return combine(local, [...prefix, ...parts]);
  }
}

/**
 * The groups of `chunksExact` or `rchunksExact` (and of slice.ts's
 * `parChunksExactMut`, `parRchunksExactMut`): a par iterator that also
 * knows the items left over, which no group holds (Rayon's `ChunksExact`
 * and `RChunksExact`, with their `remainder`).
 */
export class ChunksExact<T, R> extends ParallelIterator<T> {
  #rest: R;
  /** @internal made by chunksExact, rchunksExact and their slice.ts counterparts. */
  constructor(source: Source, stages: readonly StageSpec[], rest: R) {
    super(source, stages);
    this.#rest = rest;
  }
  /** The items left over: at the end for `chunksExact`, at the start for `rchunksExact` (Rayon's `remainder`). */
  remainder(): R {
    return this.#rest;
  }
  /** The items left over (Rayon's `into_remainder`). */
  intoRemainder(): R {
    return this.#rest;
  }
  /** The items left over, which this iterator no longer holds: a second call gives none (Rayon's `take_remainder`). */
  takeRemainder(): R {
    const rest = this.#rest;
    this.#rest = (Array.isArray(rest) ? [] : (rest as { subarray(a: number, b: number): unknown }).subarray(0, 0)) as R;
    return rest;
  }
}

/**
 * A seeded search over many items (`findAny` over `range(0, 2 ** 50)`): the
 * seed's pieces are each cut in SEEDED_SEARCH_PARTS, and these run by turns,
 * SEARCH_BATCH items at a time, as the pool's threads would run side by
 * side, until one has the answer (for `findFirst`/`positionFirst`, until
 * the ones before it are done too). Run one after another, a piece without
 * a match would have to end before the next is looked at: where Rayon, on
 * its threads, finds a match in the upper half of a huge range at once,
 * that would not end. The same seed gives the same turns.
 */
function interleavedSearch(bounds: number[], local: Terminal, stretchOf: (i: number) => Stretch): unknown {
  const los: number[] = [];
  const his: number[] = [];
  for (let p = 0; p + 1 < bounds.length; p++) {
    const step = Math.ceil((bounds[p + 1]! - bounds[p]!) / SEEDED_SEARCH_PARTS);
    for (let at = bounds[p]!; at < bounds[p + 1]!; at += step) {
      los.push(at);
      his.push(Math.min(bounds[p + 1]!, at + step));
    }
  }
  const stretches = los.map((_, i) => stretchOf(i));
  const parts: unknown[] = los.map(() => NOT_DONE);
  const firstOnly = local.k === 'findFirst' || local.k === 'positionFirst';
  let limit = los.length; // sub-pieces from `limit` on cannot hold the answer any more (findFirst)
  for (let left = true; left; ) {
    left = false;
    for (let i = 0; i < limit; i++) {
      if (parts[i] !== NOT_DONE) continue;
      const to = Math.min(his[i]!, los[i]! + SEARCH_BATCH);
      const more = stretches[i]!.feed(los[i]!, to);
      los[i] = to;
      if (more && to < his[i]!) {
        left = true;
        continue;
      }
      parts[i] = stretches[i]!.finish();
      if (!answered(local, parts[i])) continue;
      if (!firstOnly) return combine(local, [parts[i]]);
      limit = i + 1;
    }
  }
  return combine(local, parts.slice(0, limit).map((part) => (part === NOT_DONE ? neutral(local.k) : part)));
}

/** A sub-piece of `interleavedSearch` still running. */
const NOT_DONE = Symbol('not done');
/** What a piece's part means to the program (for the trace): sum, min, find... keep theirs as an Option, [] or [value]. */
function pieceResult(terminal: TerminalSpec, part: unknown): unknown {
  switch (terminal.k) {
    case 'forEach':
    case 'count':
    case 'reduce':
    case 'collect':
    case 'any':
    case 'all':
      return part;
    default: {
      const option = part as unknown[];
      return option.length > 0 ? option[0] : terminal.k === 'sum' ? 0 : undefined;
    }
  }
}

/** Seeded searches over more items than this take turns between their pieces (interleavedSearch). */
const SEEDED_SEARCH_SPLIT = 1 << 20;
/** Sub-pieces per seeded piece, as the pool cuts its work in eight chunks per thread. */
const SEEDED_SEARCH_PARTS = 16;

/** Where a terminal op's par-iter event is (-1: none), and, in a traced free run, how long its pieces took. */
interface Traced {
  at: number;
  timed: boolean;
  work: PieceTimes;
  /** Under a seed, where the seed chooses the cuts (not for chunks, zip, enumerate, withMaxLen): how many pieces the work was cut into (the par-iter event carries it). */
  pieces?: number;
  /** Under a seed, on a pool the program built (ThreadPool.install): how many threads it has. */
  poolThreads?: number;
}

/** A piece run on the calling thread (0 µs when untimed). */
function addPiece(work: PieceTimes, micros: number): void {
  work.total += micros;
  if (micros > work.longest) work.longest = micros;
}

/** The items of another par iterator (collected), an array or an iterable, as an array. */
function itemsOf<T>(other: ParallelIterator<T> | ArrayLike<T> | Iterable<T>, api: string): T[] {
  if (other instanceof ParallelIterator) return other.collect();
  if (isArrayLike(other)) return Array.from(other as ArrayLike<T>);
  if (other !== null && typeof other === 'object' && Symbol.iterator in other) return Array.from(other as Iterable<T>);
  throw new TypeError(`${api} expects an array, a typed array, an iterable or a par iterator, but got ${other === null ? 'null' : typeof other}`);
}

/** A `…With` method's starting value, which is data: a closure there is a TypeError naming the method that takes one (`instead`). */
function plainInit<A>(init: A, api: string, instead: string): A {
  if (typeof init === 'function') throw new TypeError(`${api} takes a starting value, not a closure: for a closure that makes one, write ${instead}`);
  return init;
}

/** `f`, which runs on this thread only, or a TypeError saying what `api` expects. */
function closure(f: unknown, api: string): (...args: never[]) => unknown {
  if (typeof f !== 'function') throw new TypeError(`${api} expects a closure, like .${api}(…, (a, b) => …), but got ${f === null ? 'null' : typeof f}`);
  return f as (...args: never[]) => unknown;
}

/** A Result as weft/sync makes them: `{ ok, value }`. */
function isResult(x: unknown): x is Result<unknown, unknown> {
  return x !== null && typeof x === 'object' && 'ok' in x && typeof (x as { ok: unknown }).ok === 'boolean';
}

/** The first failed Result among the items (`tryForEach`'s answer), or `{ ok: true, value: undefined }`. */
function firstErr<E>(results: ParallelIterator<unknown>): Result<undefined, E> {
  for (const r of results.collect()) if (isResult(r) && !r.ok) return r as Result<undefined, E>;
  return { ok: true, value: undefined };
}

function kindOf(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? `an array of ${x.length}` : typeof x;
}

function describe(x: unknown, field = 'ok'): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x === 'object' ? `an object with no boolean \`${field}\`` : typeof x;
}

/** Rust's PartialOrd: -1, 0, 1, or undefined where the first items that differ have no order (NaN); arrays lexicographically. */
function partialCompare(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = partialCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : undefined;
  return Math.sign(ordCompare(a, b)) as -1 | 0 | 1;
}

/** Rust's PartialEq, for values weft copies between threads: primitives by ===, arrays element by element, plain objects field by field. */
function partialEqual(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => partialEqual(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && partialEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function count(n: number, api: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${api} needs a whole number of items, got ${n}`);
  return n;
}

/**
 * Adds the items of `items` (a par iterator, collected in order, or an
 * array or iterable) to `target`: pushed onto an array, added to a Set,
 * set in a Map from `[key, value]` pairs (Rayon's `par_extend`).
 */
export function parExtend<T>(target: T[] | Set<T> | Map<unknown, unknown>, items: ParallelIterator<T> | ArrayLike<T> | Iterable<T>): void {
  const values = itemsOf(items, 'parExtend');
  if (Array.isArray(target)) {
    for (const x of values) target.push(x);
  } else if (target instanceof Set) {
    for (const x of values) target.add(x);
  } else if (target instanceof Map) {
    for (const pair of values) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('parExtend into a Map expects [key, value] pairs');
      target.set(pair[0], pair[1]);
    }
  } else {
    throw new TypeError('parExtend expects an array, a Set or a Map to extend');
  }
}

/**
 * Takes items out of `target` and gives them as a par iterator (Rayon's
 * `par_drain`): from an array, those of positions `start..end` (all by
 * default), the rest closing up; from a Set or a Map (its `[key, value]`
 * pairs), all of them, leaving it empty. As in Rust, they are taken out
 * when `parDrain` is called, whether or not the iterator runs; a range
 * past the array's end, or one that ends before it starts, panics as
 * Rust's does.
 */
export function parDrain<T>(target: T[], start?: number, end?: number): ParallelIterator<T>;
export function parDrain<T>(target: Set<T>): ParallelIterator<T>;
export function parDrain<K, V>(target: Map<K, V>): ParallelIterator<[K, V]>;
export function parDrain(target: unknown[] | Set<unknown> | Map<unknown, unknown>, start?: number, end?: number): ParallelIterator<unknown> {
  if (target instanceof Set || target instanceof Map) {
    const items = [...target];
    target.clear();
    return parIter(items);
  }
  if (!Array.isArray(target)) throw new TypeError('parDrain expects an array, a Set or a Map to drain');
  const lo = start === undefined ? 0 : count(start, 'parDrain');
  const hi = end === undefined ? target.length : count(end, 'parDrain');
  if (lo > hi) throw new RangeError(`slice index starts at ${lo} but ends at ${hi}`);
  if (hi > target.length) throw new RangeError(`range end index ${hi} out of range for slice of length ${target.length}`);
  return parIter(target.splice(lo, hi - lo));
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
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

/** `#lastOfRange`'s answer for an iterator it does not search from the end. */
const NOT_A_RANGE = Symbol('not a plain range');
/** `#lastOfRange`'s first block; ranges up to 16 of them are searched in one pass as before. */
const LAST_BLOCK = 1 << 16;

/** Terminal ops run under a seed on this thread so far: varies the pieces from one op to the next. */
let seededRuns = 0;
runLocal(() => (seededRuns = 0));

/** The probe runs for this fraction of the cut-off before it estimates the rest. */
const PROBE_FRACTION = 8;
/** How many items the probe runs before it trusts its estimate, unless they already took the whole cut-off. */
const PROBE_ITEMS = 32;

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
    if (typedArrayKind(items) < 0) throw new TypeError('parIter: unsupported typed array');
    return new ParallelIterator<T>({ k: 'typed', array: items as unknown as AnyTypedArray });
  }
  if (Array.isArray(items)) return new ParallelIterator<T>({ k: 'array', array: items });
  if (items !== null && typeof items === 'object' && Symbol.iterator in items) {
    return new ParallelIterator<T>({ k: 'array', array: Array.from(items as Iterable<T>) });
  }
  throw new TypeError(`parIter expects an array, a typed array or an iterable, but got ${items === null ? 'null' : typeof items}`);
}

/**
 * `n` copies of `value` as a parallel iterator (Rayon's `repeatn`): each
 * item a fresh copy (a structured clone), as Rayon clones it. Nothing is
 * made before the iterator runs, so `n` may be huge where a `zip` or a
 * `take` uses only a few: `parIter(xs).zip(repeatn(0, 2 ** 53))`.
 */
export function repeatn<T>(value: T, n: number): ParallelIterator<T> {
  if (typeof value === 'function') throw new TypeError('repeatn repeats a value, not a closure');
  return new ParallelIterator<T>({ k: 'range', start: 0, end: count(n, 'repeatn') }, [{ k: 'repeat', z: [value] }]);
}

/**
 * Endless copies of `value` (Rayon's `repeat`): take some with `take(n)`,
 * `zip` it with something that ends, stop it with `whileSome` or a search
 * (`findAny`, `any`...). weft's endless is 2 ** 53 items, more than any run
 * gets through: an op that needs them all (`count`, `collect`) runs until
 * the run is stopped, as Rayon's never returns.
 */
export function repeat<T>(value: T): ParallelIterator<T> {
  return repeatn(value, Number.MAX_SAFE_INTEGER);
}

/**
 * A parallel iterator over the items of a sequential iterator or iterable
 * (Rayon's `par_bridge`): like Rayon's, it promises no order and knows no
 * positions (no `enumerate` or `zip` after it). A JavaScript iterator
 * cannot leave its thread, so weft takes all its items on the calling
 * thread first, where Rayon's pool threads take them one by one as they
 * go: an endless iterator never gets to the pool.
 */
export function parBridge<T>(iter: Iterable<T> | Iterator<T>): ParallelIterator<T> {
  let items: T[];
  if (iter !== null && typeof iter === 'object' && Symbol.iterator in iter) items = Array.from(iter as Iterable<T>);
  else if (iter !== null && typeof iter === 'object' && typeof (iter as Iterator<T>).next === 'function') {
    items = [];
    for (let r = (iter as Iterator<T>).next(); !r.done; r = (iter as Iterator<T>).next()) items.push(r.value);
  } else throw new TypeError(`parBridge expects an iterator or an iterable, but got ${iter === null ? 'null' : typeof iter}`);
  return new ParallelIterator<T>({ k: 'array', array: items }, [], { ...PLAIN, indexed: false });
}

/**
 * The items of several sides side by side, `[a, b, c]` tuples, as many as
 * the shortest side has (Rayon's `MultiZip`, made by `(a, b, c).into_par_iter()`).
 * Each side is an array, a typed array, an iterable or an indexed par
 * iterator (collected first). Rust's `(&mut r, …)` form, which writes
 * through the tuple, has no counterpart: write to a `sharedArray` by index.
 */
export function multizip<T extends unknown[]>(...sides: { [K in keyof T]: ParallelIterator<T[K]> | ArrayLike<T[K]> | Iterable<T[K]> }): ParallelIterator<T> {
  const arrays = sides.map((side) => itemsOf(side as ParallelIterator<unknown>, 'multizip'));
  const n = arrays.length === 0 ? 0 : Math.min(...arrays.map((a) => a.length));
  return parIter(Array.from({ length: n }, (_, i) => arrays.map((a) => a[i]) as T));
}

/** A parallel iterator over the one item `value` (Rayon's `once`). */
export function once<T>(value: T): ParallelIterator<T> {
  return parIter([value]);
}

/** A parallel iterator with no items (Rayon's `empty`). */
export function empty<T>(): ParallelIterator<T> {
  return parIter([] as T[]);
}

/** The integers `start`, `start + 1`, ..., `end - 1` as a parallel iterator (Rayon's `(start..end).into_par_iter()`). */
export function range(start: number, end: number): ParallelIterator<number> {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw new TypeError(`range expects two integers, like range(0, 100), but got range(${String(start)}, ${String(end)})`);
  }
  return new ParallelIterator<number>({ k: 'range', start, end });
}
