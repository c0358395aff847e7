/** Browser entry of a run's worker (a module Web Worker started by the page). */
import { handleMessage, reportUnhandledRejection, type WorkerPort } from './program-worker.ts';
import { lockDown } from './lockdown.ts';
import type { FromWorker, ToWorker } from '../protocol.ts';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
};
// Bound now, before any program runs: a program that replaces postMessage later cannot see what weft sends (protocol.ts, "Integrity").
const post = scope.postMessage.bind(scope);
const port: WorkerPort = { post: (message) => post(message) };
// No network, storage or files for the program from here on; weft kept what it needs above (lockdown.ts).
lockDown();
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportUnhandledRejection(event.reason);
});
scope.addEventListener('message', (event) => handleMessage(port, event.data));
port.post({ kind: 'ready' });
