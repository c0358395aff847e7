/** tokio::sync::watch::error: the errors of weft/task's watch channel (`watch.error.SendError`). */
export { RecvError, SendError } from '../../../sync/errors.ts';
