/**
 * weft/sync — Rust's `std::sync`: Mutex, RwLock, Condvar, Barrier, Once,
 * OnceLock, LazyLock, the atomics, Arc and the mpsc channels.
 * https://doc.rust-lang.org/std/sync/
 */
import * as mpsc from './sync/mpsc.ts';

export { Mutex, MutexGuard } from './sync/mutex.ts';
export { Arc, ArcMut, Weak, type ArcMethods } from './sync/arc.ts';
export { RwLock, RwLockReadGuard, RwLockWriteGuard } from './sync/rwlock.ts';
export { Condvar, type WaitTimeoutResult } from './sync/condvar.ts';
export { Barrier, BarrierWaitResult } from './sync/barrier.ts';
export { Once, OnceState } from './sync/once.ts';
export { OnceLock, OnceLockMut } from './sync/once-lock.ts';
export { LazyLock } from './sync/lazy-lock.ts';
export { AtomicBool, AtomicI8, AtomicU8, AtomicI16, AtomicU16, AtomicI32, AtomicI64, AtomicU32, AtomicU64, AtomicIsize, AtomicUsize, Ordering } from './sync/atomic.ts';
export { type Result } from './sync/result.ts';
export { PoisonError, SendError, RecvError, TryRecvError, RecvTimeoutError, TrySendError } from './sync/errors.ts';
export { drop } from './sync/drop.ts';
export { mpsc };
