/** tokio::sync::mpsc::error: the errors of weft/task's mpsc channels (`mpsc.error.SendError`). */
export { SendError, TryRecvError, TrySendError } from '../../../sync/errors.ts';
export { SendTimeoutError } from '../mpsc.ts';
