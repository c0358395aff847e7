/**
 * Rayon's `par_sort` and `par_sort_by`: a stable parallel merge sort, in place.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/slice/trait.ParallelSliceMut.html#method.par_sort
 *
 * The elements live in run memory (a `sharedArray` is sorted where it is;
 * any other typed array, or a plain array of numbers, is copied in and back
 * out, two memcpys). Chunks are sorted by the pool's threads with the
 * engine's own stable sort, then merged pairwise, round by round, between
 * the array and a scratch buffer; each pair's merge is cut into pieces of
 * equal output length by binary search on the merge path (Odeh et al.,
 * "Merge Path", 2012), so every round keeps every thread busy, the last one
 * included. Ties go to the left run: the sort is stable, as Rust's is.
 *
 * Order: numbers ascending (not JavaScript's default string order: Rust
 * sorts by `Ord`), NaN last; strings by UTF-16 code units; `parSortBy`
 * follows its comparator (negative: a before b). A plain array of anything
 * but numbers is sorted on the calling thread (`Array.prototype.sort`,
 * stable): its elements cannot be shared with other threads.
 */
import { context } from '../runtime/context.ts';
import { scheduled } from '../runtime/scheduler.ts';
import { type Lifted } from '../runtime/lift.ts';
import { currentRegistry } from './current.ts';
import { closureRef, registerJobKind, runJob, typedArrayKind, typedArrayKinds, viewOf, type AnyTypedArray, type ClosureRef } from './job.ts';
import { liftedForPar } from './lifted.ts';
import { ordCompare, unordered } from './order.ts';
import { registryCutoff, registryThreads } from './registry.ts';

/**
 * Below this many elements a sort stays on the calling thread: measured by
 * `npm run bench` (BENCHMARKS.md, "Sequential cut-off"). A pool whose
 * sequential cut-off is 0 sorts everything on the pool.
 */
export const PAR_SORT_MIN = 1 << 14;

type Compare = (a: unknown, b: unknown) => number;
type View = { t: number; off: number; len: number };

/** Numbers ascending with NaN last: what TypedArray.prototype.sort does, as a `less`. */
const numericLess = (a: unknown, b: unknown): boolean => (a as number) < (b as number) || (b !== b && a === a);

function defaultCompare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return numericLess(a, b) ? -1 : numericLess(b, a) ? 1 : 0;
  return ordCompare(a, b);
}

interface SortDesc {
  kind: 'sort-chunks';
  data: View;
  bounds: number[];
  cmp?: ClosureRef;
}

interface MergeDesc {
  kind: 'merge';
  from: View;
  to: View;
  /** Per piece: [aLo, aHi, bLo, bHi, out] in element indices. */
  pieces: number[][];
  cmp?: ClosureRef;
}

function sortChunk(array: AnyTypedArray, lo: number, hi: number, cmp: Compare | undefined): void {
  const part = array.subarray(lo, hi) as unknown as { sort(cmp?: Compare): void };
  part.sort(cmp);
}

registerJobKind<{ desc: SortDesc; data: AnyTypedArray; cmp?: Compare }>('sort-chunks', {
  build(raw, rebuild) {
    const desc = raw as unknown as SortDesc;
    return { desc, data: viewOf(desc.data), ...(desc.cmp ? { cmp: rebuild(desc.cmp) as Compare } : {}) };
  },
  run({ desc, data, cmp }, chunk) {
    sortChunk(data, desc.bounds[chunk]!, desc.bounds[chunk + 1]!, cmp);
    return undefined;
  },
});

function mergePiece(from: AnyTypedArray, to: AnyTypedArray, piece: number[], less: (a: unknown, b: unknown) => boolean): void {
  let [a, aHi, b, bHi, out] = piece as [number, number, number, number, number];
  while (a < aHi && b < bHi) {
    // Right only when strictly less: ties keep the left run's element first (stable).
    if (less(from[b], from[a])) to[out++] = from[b++] as never;
    else to[out++] = from[a++] as never;
  }
  while (a < aHi) to[out++] = from[a++] as never;
  while (b < bHi) to[out++] = from[b++] as never;
}

registerJobKind<{ desc: MergeDesc; from: AnyTypedArray; to: AnyTypedArray; less: (a: unknown, b: unknown) => boolean }>('merge', {
  build(raw, rebuild) {
    const desc = raw as unknown as MergeDesc;
    const cmp = desc.cmp ? (rebuild(desc.cmp) as Compare) : undefined;
    return { desc, from: viewOf(desc.from), to: viewOf(desc.to), less: cmp ? (x, y) => cmp(x, y) < 0 : numericLess };
  },
  run({ desc, from, to, less }, chunk) {
    mergePiece(from, to, desc.pieces[chunk]!, less);
    return undefined;
  },
});

/** How many of the first `d` outputs of the stable merge of A=[a, aHi) and B=[b, bHi) come from A. */
function splitPoint(array: AnyTypedArray, a: number, na: number, b: number, nb: number, d: number, less: (x: unknown, y: unknown) => boolean): number {
  let lo = Math.max(0, d - nb);
  let hi = Math.min(d, na);
  while (lo < hi) {
    const i = (lo + hi) >>> 1;
    // A[i] goes before B[d - i - 1] (ties: A first) means more than i outputs come from A.
    if (!less(array[b + d - i - 1], array[a + i])) lo = i + 1;
    else hi = i;
  }
  return lo;
}

/** Sorts `data` (in run memory) on the pool. */
function sortShared(registry: number, data: AnyTypedArray, cmpLifted: Lifted | undefined): void {
  const mem = context().memory;
  const n = data.length;
  const threads = registryThreads(registry);
  const t = typedArrayKind(data);
  const cmp = cmpLifted ? closureRef(cmpLifted) : undefined;
  const cmpFn = cmpLifted?.fn as Compare | undefined;
  const less = cmpFn ? (x: unknown, y: unknown) => cmpFn(x, y) < 0 : numericLess;
  const runs = Math.min(Math.ceil(n / 2), threads * 2);
  const bounds: number[] = [];
  for (let i = 0; i <= runs; i++) bounds.push(Math.round((i * n) / runs));
  const view = (array: AnyTypedArray): View => ({ t, off: array.byteOffset, len: array.length });
  runJob(registry, { kind: 'sort-chunks', data: view(data), bounds, ...(cmp ? { cmp } : {}) } satisfies SortDesc, runs);

  const scratchPtr = mem.alloc(Math.max(8, data.byteLength));
  const scratch = new (typedArrayKinds[t]!)(mem.buffer as unknown as ArrayBuffer, scratchPtr, n);
  let from: AnyTypedArray = data;
  let to: AnyTypedArray = scratch;
  let edges = bounds;
  // Each output piece about this long: a few per thread in every round.
  const pieceLen = Math.max(4096, Math.ceil(n / (threads * 4)));
  try {
    while (edges.length > 2) {
      const pieces: number[][] = [];
      const next: number[] = [0];
      for (let r = 0; r + 1 < edges.length; r += 2) {
        const a = edges[r]!;
        const b = edges[r + 1]!;
        const end = r + 2 < edges.length ? edges[r + 2]! : b;
        const na = b - a;
        const nb = end - b;
        // Cut this pair's output into pieces; each piece's inputs come from the merge path.
        for (let prevD = 0, prevI = 0; prevD < na + nb; ) {
          const d = Math.min(prevD + pieceLen, na + nb);
          // Kept within what the pieces so far leave, so the pieces always split both runs exactly: a comparator
          // that is no total order (random, or `a > b` giving true/false) gives split points that disagree, and
          // the sort must still only reorder the elements, as Rust's does, never copy one twice or drop one.
          const i = Math.min(Math.max(splitPoint(from, a, na, b, nb, d, less), prevI, d - nb), na, prevI + (d - prevD));
          pieces.push([a + prevI, a + i, b + (prevD - prevI), b + (d - i), a + prevD]);
          prevD = d;
          prevI = i;
        }
        next.push(end);
      }
      try {
        runJob(registry, { kind: 'merge', from: view(from), to: view(to), pieces, ...(cmp ? { cmp } : {}) } satisfies MergeDesc, pieces.length);
      } catch (error) {
        // The comparator panicked in this round, which read `from` and had half written `to` (runJob returns once
        // every piece is over): `from` still holds every element, so `data` is left holding each once, as Rust
        // leaves a slice whose comparison panicked (some permutation of it).
        if (from !== data) (data as unknown as { set(a: ArrayLike<unknown>): void }).set(from as never);
        throw error;
      }
      [from, to] = [to, from];
      edges = next;
    }
    if (from !== data) (data as unknown as { set(a: ArrayLike<unknown>): void }).set(from as never);
  } finally {
    mem.free(scratchPtr);
  }
}

function sortWith(items: unknown, compare: unknown, api: string): void {
  const cmpLifted = compare === undefined ? undefined : liftedForPar(compare, api, `Write the closure in the call to ${api} imported from weft/par: ${api}(items, (a, b) => …)`);
  const cmpFn = cmpLifted?.fn as Compare | undefined;
  const mem = context().memory;
  const isTyped = typedArrayKind(items) >= 0;
  if (!isTyped && !Array.isArray(items)) throw new TypeError(`${api} expects an array or a typed array to sort in place`);
  const array = items as AnyTypedArray | unknown[];
  const numbers = isTyped || (array as unknown[]).every((x) => typeof x === 'number');
  if (!numbers && cmpFn === undefined) refuseUnordered(array as unknown[], api);
  const sequential = () => (array as { sort(cmp: Compare): unknown }).sort(cmpFn ?? (isTyped ? (undefined as never) : defaultCompare));
  if (!numbers) return void sequential();
  const registry = currentRegistry();
  const small = array.length < (registryCutoff(registry) === 0 ? 2 : PAR_SORT_MIN);
  if (small || scheduled(mem) || registryThreads(registry) === 1) return void sequential();
  if (isTyped && (array as AnyTypedArray).buffer === (mem.buffer as ArrayBufferLike)) return sortShared(registry, array as AnyTypedArray, cmpLifted);
  // Copy in, sort in run memory, copy back.
  const source = isTyped ? (array as AnyTypedArray) : Float64Array.from(array as number[]);
  const kind = typedArrayKinds[typedArrayKind(source)]!;
  const ptr = mem.alloc(Math.max(8, source.byteLength));
  try {
    const shared = new kind(mem.buffer as unknown as ArrayBuffer, ptr, source.length);
    (shared as unknown as { set(a: ArrayLike<unknown>): void }).set(source as never);
    sortShared(registry, shared, cmpLifted);
    if (isTyped) (array as unknown as { set(a: ArrayLike<unknown>): void }).set(shared as never);
    else for (let i = 0; i < shared.length; i++) (array as unknown[])[i] = shared[i];
  } finally {
    mem.free(ptr);
  }
}

/**
 * parSort orders numbers, strings, bigints or booleans, all of one kind, or arrays of them (Rust's tuples,
 * compared lexicographically): Rust's `par_sort` needs `Ord`, and would not compile for anything else.
 * Objects, or numbers mixed with strings, have no order of their own.
 */
function refuseUnordered(array: unknown[], api = 'parSort'): void {
  const kindOf = (x: unknown) => (Array.isArray(x) ? 'array' : typeof x);
  const kind = array.length > 0 ? kindOf(array[0]) : 'number';
  const odd = array.findIndex((x) => kindOf(x) !== kind || unordered(x) !== undefined);
  if (odd < 0) return;
  const what = (x: unknown) => unordered(x) ?? (Array.isArray(x) ? 'an array' : `a ${typeof x}`);
  throw new TypeError(
    `${api} orders numbers, strings, bigints or booleans of one kind, or arrays of them as tuples, but ${api.endsWith('Key') ? 'the key of item' : 'item'} ${odd} is ${what(array[odd])}` +
      (odd > 0 ? ` where ${api.endsWith('Key') ? 'the key of item' : 'item'} 0 is ${what(array[0])}` : '') +
      ` (Rust needs Ord to sort). Give the order with parSortBy(items, (a, b) => …), or sort by a key: parSortByKey(items, (x) => x.key)`,
  );
}

/** Sorts `items` in place, in parallel: numbers ascending (NaN last), strings by code units. Stable. */
export function parSort<T>(items: T[] | AnyTypedArray): void {
  sortWith(items, undefined, 'parSort');
}

/** Sorts `items` in place, in parallel, by `compare` (negative when a goes before b). Stable. */
export function parSortBy<T>(items: T[] | AnyTypedArray, compare: (a: T, b: T) => number): void {
  sortWith(items, compare, 'parSortBy');
}

/**
 * Sorts `items` in place by the key `key` gives each (Rust's `par_sort_by_key`):
 * keys compare as Rust's Ord (numbers, strings, bigints, booleans, arrays of
 * them as tuples). Stable. `key` is called once per item, before sorting
 * (which is Rayon's `par_sort_by_cached_key`; `par_sort_by_key` may call it
 * more often, which only a key with side effects could tell). The items are
 * ordered on the calling thread.
 */
export function parSortByKey<T, K>(items: T[] | AnyTypedArray, key: (item: T) => K): void {
  sortByKey(items, key, 'parSortByKey');
}

/** Rayon's `par_sort_by_cached_key`: `parSortByKey`, whose key is computed once per item. */
export function parSortByCachedKey<T, K>(items: T[] | AnyTypedArray, key: (item: T) => K): void {
  sortByKey(items, key, 'parSortByCachedKey');
}

/** Rayon's `par_sort_unstable`: weft's sort is stable, which an unstable sort is allowed to be. */
export function parSortUnstable<T>(items: T[] | AnyTypedArray): void {
  sortWith(items, undefined, 'parSortUnstable');
}

/** Rayon's `par_sort_unstable_by` (stable in weft, which an unstable sort is allowed to be). */
export function parSortUnstableBy<T>(items: T[] | AnyTypedArray, compare: (a: T, b: T) => number): void {
  sortWith(items, compare, 'parSortUnstableBy');
}

/** Rayon's `par_sort_unstable_by_key` (stable in weft, which an unstable sort is allowed to be). */
export function parSortUnstableByKey<T, K>(items: T[] | AnyTypedArray, key: (item: T) => K): void {
  sortByKey(items, key, 'parSortUnstableByKey');
}

function sortByKey(items: unknown, key: unknown, api: string): void {
  const keyFn = liftedForPar(key, api, `Write the closure in the call to ${api} imported from weft/par: ${api}(items, (x) => …)`).fn as (item: unknown) => unknown;
  if (typedArrayKind(items) < 0 && !Array.isArray(items)) throw new TypeError(`${api} expects an array or a typed array to sort in place`);
  const array = items as ArrayLike<unknown> & { [i: number]: unknown };
  const keyed = Array.from({ length: array.length }, (_, i) => ({ key: keyFn(array[i]), item: array[i] }));
  refuseUnordered(keyed.map((k) => k.key), api);
  keyed.sort((a, b) => defaultCompare(a.key, b.key));
  for (let i = 0; i < keyed.length; i++) array[i] = keyed[i]!.item;
}
