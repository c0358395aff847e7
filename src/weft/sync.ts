/**
 * weft/sync — Rust's `std::sync`: Mutex, Arc and the mpsc channels.
 * https://doc.rust-lang.org/std/sync/
 */
import * as mpsc from './sync/mpsc.ts';

export { Mutex, MutexGuard } from './sync/mutex.ts';
export { Arc, type ArcMethods } from './sync/arc.ts';
export { PoisonError, SendError, RecvError, TryRecvError, RecvTimeoutError, TrySendError } from './sync/errors.ts';
export { drop } from './sync/drop.ts';
export { mpsc };
