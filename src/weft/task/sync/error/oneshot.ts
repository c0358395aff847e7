/** tokio::sync::oneshot::error: the errors of weft/task's oneshot channel (`oneshot.error.RecvError`). */
export { RecvError, TryRecvError } from '../../../sync/errors.ts';
