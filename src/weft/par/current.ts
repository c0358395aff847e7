/**
 * Which pool a par operation runs on: the innermost `ThreadPool.install` on
 * this thread, else the pool of the worker running it, else the run's global
 * pool (Rayon's `Registry::current`).
 */
import { context } from '../runtime/context.ts';
import { H } from '../runtime/memory.ts';
import { availableParallelism } from '../thread.ts';
import { currentWorker, globalPool, poolThreads } from './pool.ts';

const installed: number[] = [];

export function currentPool(): number {
  return installed.at(-1) ?? currentWorker()?.pool ?? globalPool();
}

/** Runs `f` with `pool` as this thread's current pool. */
export function withPool<T>(pool: number, f: () => T): T {
  installed.push(pool);
  try {
    return f();
  } finally {
    installed.pop();
  }
}

/** The number of threads of the current pool, without creating the global one. */
export function currentNumThreads(): number {
  const pool = installed.at(-1) ?? currentWorker()?.pool;
  if (pool !== undefined) return poolThreads(pool);
  const global = Atomics.load(context().memory.header, H.parPool);
  return global > 0 ? poolThreads(global) : Math.max(1, availableParallelism());
}
