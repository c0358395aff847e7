/**
 * Rayon's `ParallelSliceMut` groups: `par_chunks_mut`, `par_chunks_exact_mut`,
 * `par_rchunks_mut`, `par_rchunks_exact_mut` and `par_split_mut`, whose items
 * are `&mut [T]`, parts of the slice that a closure may change in place; and
 * `par_iter_mut`, whose `&mut T` is a view of one element here.
 * https://docs.rs/rayon/latest/rayon/slice/trait.ParallelSliceMut.html
 *
 * A JavaScript worker cannot write into another worker's heap, so the slice
 * must live in the run's shared memory: a typed array made by `sharedArray`.
 * Each item is then a `subarray` view of it, made on the thread that runs the
 * closure, and what the closure writes lands in the one array (pipeline.ts,
 * the `views` stage). The groups never overlap, so, as in Rust, no two
 * closures write the same element. A plain array, or a typed array of one
 * thread's own, is refused: its groups would be copies and the writes lost.
 *
 * (The read-only `par_chunks`, `par_windows`, `par_rchunks`... are methods
 * of any par iterator: `parIter(xs).chunks(2)`.)
 */
import { context } from '../runtime/context.ts';
import { ChunksExact, ParallelIterator } from './iter.ts';
import type { AnyTypedArray, Source, StageSpec } from './job.ts';

function sharedOnly(array: unknown, api: string): AnyTypedArray {
  const view = array as AnyTypedArray;
  if (ArrayBuffer.isView(array) && !(array instanceof DataView) && (view.buffer as ArrayBufferLike) === context().memory.buffer) return view;
  throw new TypeError(
    `${api} changes the array in place from the pool's threads, so it needs a typed array in shared memory, made by sharedArray ` +
      `(const xs = sharedArray(Int32Array, [1, 2, 3])); ${Array.isArray(array) ? 'a plain array' : ArrayBuffer.isView(array) ? 'a typed array of this thread’s own' : `a ${array === null ? 'null' : typeof array}`} ` +
      `would reach them as copies and the writes would be lost. (Rust's ${api.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())} hands out &mut slices of the one array.)`,
  );
}

function groupSize(size: number, api: string): number {
  // Rust: "chunk_size must not be zero".
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${api}: chunk size must not be zero, got ${size}`);
  return size;
}

/** The par iterator over `groups` views of `array`, cut as `how` says (pipeline.ts `views`). */
function views<A extends AnyTypedArray>(array: A, groups: number, size: number, how: string, bounds?: number[]): [Source, StageSpec[]] {
  return [{ k: 'range', start: 0, end: groups }, [{ k: 'views', d: size, z: bounds ? [array, how, bounds] : [array, how] }]];
}

/** Every group of `size` (the last one, `how` 'chunks', or the first, 'rchunks', shorter), as views. */
function groups<A extends AnyTypedArray>(array: A, size: number, api: string, how: 'chunks' | 'rchunks'): ParallelIterator<A> {
  const a = sharedOnly(array, api);
  const n = groupSize(size, api);
  return new ParallelIterator<A>(...views(a, Math.ceil(a.length / n), n, how));
}

/** The groups of exactly `size`, as views, with the view of the elements left over (at the end for 'chunks', at the start for 'rchunks'). */
function exactGroups<A extends AnyTypedArray>(array: A, size: number, api: string, how: 'chunks' | 'rchunks'): ChunksExact<A, A> {
  const a = sharedOnly(array, api);
  const n = groupSize(size, api);
  const count = Math.floor(a.length / n);
  const rest = how === 'chunks' ? a.subarray(count * n) : a.subarray(0, a.length - count * n);
  return new ChunksExact<A, A>(...views(a, count, n, how), rest as A);
}

/**
 * Each element as a view of one element, which a closure may write through
 * (`x[0] = …`): Rust's `par_iter_mut`, whose items are `&mut T`, a thing a
 * JavaScript number cannot be. `parIterMut(v).enumerate().forEach(([i, x]) => { x[0] = i; })`
 * is Rayon's `v.par_iter_mut().enumerate().for_each(|(i, x)| *x = i)`.
 * (Writing `v[i]` from `range(0, v.length)` does the same with no view per element.)
 */
export function parIterMut<A extends AnyTypedArray>(array: A): ParallelIterator<A> {
  return groups(array, 1, 'parIterMut', 'chunks');
}

/** Groups of `size` consecutive elements, the last one shorter, as views a closure may write to (Rayon's `par_chunks_mut`). */
export function parChunksMut<A extends AnyTypedArray>(array: A, size: number): ParallelIterator<A> {
  return groups(array, size, 'parChunksMut', 'chunks');
}

/** Groups of exactly `size` elements from the start; `remainder()` is the view of the ones left at the end (Rayon's `par_chunks_exact_mut`). */
export function parChunksExactMut<A extends AnyTypedArray>(array: A, size: number): ChunksExact<A, A> {
  return exactGroups(array, size, 'parChunksExactMut', 'chunks');
}

/** Groups of `size` elements counted from the end, last group first, the first elements' group shorter (Rayon's `par_rchunks_mut`). */
export function parRchunksMut<A extends AnyTypedArray>(array: A, size: number): ParallelIterator<A> {
  return groups(array, size, 'parRchunksMut', 'rchunks');
}

/** Groups of exactly `size` elements from the end; `remainder()` is the view of the ones left at the start (Rayon's `par_rchunks_exact_mut`). */
export function parRchunksExactMut<A extends AnyTypedArray>(array: A, size: number): ChunksExact<A, A> {
  return exactGroups(array, size, 'parRchunksExactMut', 'rchunks');
}

/**
 * The runs of elements between those for which `separator` is true, as
 * views a closure may write to (Rayon's `par_split_mut`): as `parSplit`,
 * an empty run where two separators meet or at either end. `separator`
 * runs on the calling thread, to find the runs.
 */
export function parSplitMut<A extends AnyTypedArray>(array: A, separator: (item: number | bigint) => boolean): ParallelIterator<A> {
  const a = sharedOnly(array, 'parSplitMut');
  if (typeof separator !== 'function') throw new TypeError('parSplitMut expects a closure (item) => boolean that is true for the separators');
  const bounds: number[] = [0];
  for (let i = 0; i < a.length; i++) if (separator(a[i]!)) bounds.push(i, i + 1);
  bounds.push(a.length);
  return new ParallelIterator<A>(...views(a, bounds.length / 2, 1, 'bounds', bounds));
}
