/**
 * weft/par — Rayon's data parallelism: parallel iterators, `join`, `scope`,
 * thread pools and parallel sorts, on a work-stealing pool of weft threads.
 * https://docs.rs/rayon/latest/rayon/
 *
 * The closures given to par adapters are lifted by the compile step
 * (src/compile/par-closures.ts) and *borrow* what they capture, as Rayon's
 * do: weft handles are shared with the pool's threads, plain data is copied
 * once to each thread that needs it. How items, closures and results travel
 * is told in par/job.ts; the registry behind a pool (its threads, deques
 * and stealing) in par/registry.ts.
 */
export { ParallelIterator, ChunksExact, parIter, parBridge, parDrain, range, parExtend, repeat, repeatn, once, empty, multizip } from './par/iter.ts';
export { parChars, parCharIndices, parBytes, parEncodeUtf16, parSplit, parSplitTerminator, parLines, parSplitWhitespace, parMatches, parMatchIndices, type Pattern } from './par/str.ts';
export { Either } from './par/either.ts';
export { join, joinContext, scope, Scope, inPlaceScope, inPlaceScopeFifo, scopeFifo, ScopeFifo, spawn, spawnFifo } from './par/join.ts';
export { broadcast, spawnBroadcast } from './par/broadcast.ts';
export { split } from './par/split.ts';
export { BroadcastContext, FnContext, ThreadBuilder } from './par/contexts.ts';
export { ThreadPoolBuilder, ThreadPool, currentNumThreads } from './par/thread-pool.ts';
export { currentThreadIndex, currentThreadHasPendingTasks, maxNumThreads } from './par/current.ts';
export { sharedArray } from './par/shared-array.ts';
export { parIterMut, parChunksMut, parChunksExactMut, parRchunksMut, parRchunksExactMut, parSplitMut } from './par/slice.ts';
export { parSort, parSortBy, parSortByKey, parSortByCachedKey, parSortUnstable, parSortUnstableBy, parSortUnstableByKey } from './par/sort.ts';
