/** Browser entry of a run's worker (a module Web Worker started by the page). */
import { handleMessage, reportUncaught, reportUnhandledRejection, type WorkerPort } from './program-worker.ts';
import { lockDown } from './lockdown.ts';
import type { FromWorker, ToWorker } from '../protocol.ts';

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker & { runs?: MessagePort }>) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
};
// Bound now, before any program runs: a program that replaces postMessage later cannot see what weft sends (protocol.ts, "Integrity").
const post = scope.postMessage.bind(scope);
const port: WorkerPort = { post: (message) => post(message) };
// Kept now too: a message that comes after a program has run here is read
// without asking anything the program could have replaced.
const apply = Reflect.apply;
const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
const listen = MessagePort.prototype.addEventListener;
const start = MessagePort.prototype.start;
// No network, storage or files for the program from here on; weft kept what it needs above (lockdown.ts).
lockDown();
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportUnhandledRejection(event.reason);
});
// An exception a timer or microtask callback threw: that thread's panic, at its line, not a failure of the worker.
scope.addEventListener('error', (event) => {
  event.preventDefault();
  reportUncaught(event.error);
});
let first = true;
scope.addEventListener('message', (event) => {
  // Only the first message on this port is the supervisor's (before any program code ran here); it
  // brings the port the later ones come on, which no program code can reach (protocol.ts, "Integrity").
  if (!first) return;
  first = false;
  const message = apply(dataOf, event, []) as ToWorker & { runs?: MessagePort };
  const runs = message.runs;
  if (runs !== undefined) {
    apply(listen, runs, ['message', (later: MessageEvent<ToWorker>) => handleMessage(port, apply(dataOf, later, []) as ToWorker)]);
    apply(start, runs, []);
  }
  handleMessage(port, message);
});
port.post({ kind: 'ready' });
