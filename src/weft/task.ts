/**
 * weft/task — a Tokio-like async runtime: tasks, time, select/join, async
 * channels and locks, spawnBlocking, an in-memory network, and the Future
 * trait to write futures by hand.
 * https://docs.rs/tokio/latest/tokio/
 *
 * The compile step turns every `async` function into a lazy future
 * (compile/async-lowering.ts), as rustc does: calling one runs nothing; a
 * task runs when this thread's executor polls it, and is cancelled at an
 * await point. The runtime is current-thread: all tasks of a thread take
 * turns on that thread (Tokio's `new_current_thread`); spawnBlocking is the
 * way to real parallelism. `async function main` runs on it, like
 * `#[tokio::main(flavor = "current_thread")]`.
 */
import * as time from './task/time.ts';

export { Poll, Context, Waker, type Future, type Awaitable, type IntoFuture, type Output, type Wake } from './task/future.ts';
export { blockOn, TaskHang } from './task/runtime.ts';
export { spawn, yieldNow, unconstrained, consumeBudget, id, tryId, JoinHandle, JoinError, JoinSet, AbortHandle } from './task/spawn.ts';
export { select, join, tryJoin, pin, Pinned, type Selected, type SelectedElse, type SelectOptions, type JoinOptions } from './task/combinators.ts';
export { sleep, sleepUntil, interval, intervalAt, timeout, timeoutAt, Elapsed, Interval, MissedTickBehavior, Sleep } from './task/time.ts';
export { time };
export * as mpsc from './task/sync/mpsc.ts';
export * as oneshot from './task/sync/oneshot.ts';
export * as broadcast from './task/sync/broadcast.ts';
export * as watch from './task/sync/watch.ts';
export { Mutex, MutexGuard, MappedMutexGuard, MutexGuard as OwnedMutexGuard, MappedMutexGuard as OwnedMappedMutexGuard } from './task/sync/mutex.ts';
export { RwLock, RwLockReadGuard, RwLockWriteGuard, RwLockMappedWriteGuard } from './task/sync/rwlock.ts';
export { RwLockReadGuard as OwnedRwLockReadGuard, RwLockWriteGuard as OwnedRwLockWriteGuard, RwLockMappedWriteGuard as OwnedRwLockMappedWriteGuard } from './task/sync/rwlock.ts';
export { Semaphore, SemaphorePermit, SemaphorePermit as OwnedSemaphorePermit, AcquireError, TryAcquireError } from './task/sync/semaphore.ts';
export { Notify } from './task/sync/notify.ts';
export { Barrier } from './task/sync/barrier.ts';
export { OnceCell, SetError } from './task/sync/once-cell.ts';
export { BarrierWaitResult } from './sync/barrier.ts';
export { Lagged } from './task/sync/broadcast.ts';
export { SendError, RecvError, TryRecvError, TrySendError } from './sync/errors.ts';
export { drop } from './sync/drop.ts';
export { spawnBlocking, blockInPlace, BlockingHandle } from './task/blocking.ts';
export { taskLocal, LocalKey, TaskLocalFuture, AccessError } from './task/task-local.ts';
export { LocalSet, spawnLocal } from './task/local-set.ts';
export * as net from './task/net.ts';
