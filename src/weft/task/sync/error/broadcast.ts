/**
 * tokio::sync::broadcast::error: the errors of weft/task's broadcast channel
 * (`broadcast.error.RecvError`). Tokio's `RecvError::Lagged(n)` is the
 * `Lagged` error here, a class of its own.
 */
export { RecvError, SendError, TryRecvError } from '../../../sync/errors.ts';
export { Lagged } from '../broadcast.ts';
