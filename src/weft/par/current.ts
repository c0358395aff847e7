/**
 * Which registry a par operation runs on: the innermost `ThreadPool.install`
 * on this thread, else the registry of the worker running it, else the run's
 * global registry (Rayon's `Registry::current`).
 */
import { context } from '../runtime/context.ts';
import { H } from '../runtime/memory.ts';
import { availableParallelism } from '../thread.ts';
import { currentWorker, globalRegistry, hasLocalTasks, MAX_REGISTRY_THREADS, registryThreads } from './registry.ts';
import { runLocal } from '../runtime/run-local.ts';

const installed: number[] = [];
runLocal(() => (installed.length = 0));

export function currentRegistry(): number {
  return installed.at(-1) ?? currentWorker()?.registry ?? globalRegistry();
}

/** Runs `f` with `registry` as this thread's current one. */
export function withRegistry<T>(registry: number, f: () => T): T {
  installed.push(registry);
  try {
    return f();
  } finally {
    installed.pop();
  }
}

/** The number of threads of the current registry, without creating the global one. */
export function currentNumThreads(): number {
  const registry = installed.at(-1) ?? currentWorker()?.registry;
  if (registry !== undefined) return registryThreads(registry);
  const global = Atomics.load(context().memory.header, H.parRegistry);
  return global > 0 ? registryThreads(global) : Math.max(1, availableParallelism());
}

/**
 * The index of the pool thread running this code within its pool, from 0 to
 * `currentNumThreads() - 1`, or undefined on a thread that is not one of a
 * pool's (Rayon's `current_thread_index`, whose `None` is undefined).
 */
export function currentThreadIndex(): number | undefined {
  return currentWorker()?.index;
}

/**
 * Whether the pool thread running this code has tasks waiting in its own
 * queue (spawned or joined there, not yet started or stolen), or undefined
 * on a thread that is not one of a pool's (Rayon's
 * `current_thread_has_pending_tasks`, whose `None` is undefined).
 */
export function currentThreadHasPendingTasks(): boolean | undefined {
  const worker = currentWorker();
  return worker === undefined ? undefined : hasLocalTasks(worker);
}

/**
 * The most threads a thread pool may have (Rayon's `max_num_threads`):
 * `ThreadPoolBuilder.numThreads` refuses more. weft's limit is 64, where
 * Rayon's is set by its sleep counters (65,535 on 64-bit targets).
 */
export function maxNumThreads(): number {
  return MAX_REGISTRY_THREADS;
}
