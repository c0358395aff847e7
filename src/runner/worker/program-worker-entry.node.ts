/** The Node worker proper, loaded by program-worker.node.ts once the compile cache is on. */
import { parentPort } from 'node:worker_threads';
import { handleMessage, type WorkerPort } from './program-worker.ts';
import type { ToWorker } from '../protocol.ts';

if (parentPort === null) throw new Error('program-worker-entry.node.ts runs as a worker_thread');
const parent = parentPort;
// Bound now, before any program runs: a program that replaces postMessage later cannot see what weft sends (protocol.ts, "Integrity").
const post = parent.postMessage.bind(parent);
const port: WorkerPort = { post: (message) => post(message) };
parent.on('message', (message: ToWorker) => handleMessage(port, message));
port.post({ kind: 'ready' });
