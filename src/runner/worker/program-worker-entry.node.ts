/** The Node worker proper, loaded by program-worker.node.ts once the compile cache is on. */
import { parentPort } from 'node:worker_threads';
import { handleMessage, reportUncaught, reportUnhandledRejection, type WorkerPort } from './program-worker.ts';
import { lockDown } from './lockdown.ts';
import type { ToWorker } from '../protocol.ts';

if (parentPort === null) throw new Error('program-worker-entry.node.ts runs as a worker_thread');
const parent = parentPort;
// Bound now, before any program runs: a program that replaces postMessage later cannot see what weft sends (protocol.ts, "Integrity").
const post = parent.postMessage.bind(parent);
const port: WorkerPort = { post: (message) => post(message) };
// No network, storage or files for the program from here on; weft kept what it needs above (lockdown.ts).
lockDown();
// Node would end the worker on an unhandled rejection; the reader gets a line instead, as in the browser.
process.on('unhandledRejection', (reason) => reportUnhandledRejection(reason));
// And on an exception a timer or microtask callback threw: the reader gets that thread's panic, at its line.
process.on('uncaughtException', (error) => reportUncaught(error));
parent.on('message', (message: ToWorker) => handleMessage(port, message));
port.post({ kind: 'ready' });
