/**
 * Baselines measured in Node in the same `npm run bench` as weft: what a
 * thread costs without a pool (a fresh worker_thread per spawn), what
 * postMessage moves, and the npm package `multithreading` (the closest
 * peer) for the figures it has a primitive for.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { TRIALS, type Figure } from './programs.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
export { median };

async function trials(warmup: number, f: () => Promise<number>, count = TRIALS): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await f());
  return out;
}

/** A fresh worker_thread per thread: start, first answer, end (what spawn cost before the pool). */
export async function freshWorker(): Promise<Figure> {
  const once = async () => {
    const t0 = performance.now();
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
    await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    return (performance.now() - t0) * 1000;
  };
  return { name: 'fresh-worker', unit: 'us', trials: await trials(1, async () => {
    let total = 0;
    for (let i = 0; i < 5; i++) total += await once();
    return total / 5;
  }) };
}

/**
 * One round of a hand-written ring (`source`: a worker's code, role 'tx' or 'rx', which starts when word 0 is set):
 * 200,000 numbers from one worker to the other, in messages per second as the receiver timed them.
 */
async function ringRound(source: string): Promise<number> {
  const n = 200_000;
  const sab = new SharedArrayBuffer(256 + n * 8);
  const [rx, tx] = ['rx', 'tx'].map((role) => new Worker(source, { eval: true, workerData: { sab, role, n } }));
  const ready = (w: Worker) => new Promise((resolve) => w.once('message', resolve));
  await Promise.all([ready(rx!), ready(tx!)]);
  const done = new Promise<{ ms: number }>((resolve) => rx!.once('message', resolve));
  const words = new Int32Array(sab, 0, 64);
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
  const { ms } = await done;
  await Promise.all([rx!.terminate(), tx!.terminate()]);
  return n / (ms / 1000);
}

/**
 * The ceiling for a channel of numbers in JavaScript: a hand-written lock-free
 * ring between two workers, the same 200,000 numbers as weft's channel-u32,
 * each published with one Atomics.store and found with Atomics.load, the
 * receiver spinning (it never sleeps, so no wake-up is ever paid) and the ring
 * big enough never to fill (an unbounded channel). No checks, no blocking, no
 * seeded schedule, no trace: what weft's channel would cost with nothing but
 * its ring. Messages per second.
 */
export async function lockFreeRing(): Promise<Figure> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { sab, role, n } = workerData;
    const words = new Int32Array(sab, 0, 64); // go at 0, the sender's count at 16, the receiver's at 32: apart, on lines of their own
    const slots = new Float64Array(sab, 256, n);
    parentPort.postMessage('ready');
    while (Atomics.load(words, 0) === 0) Atomics.wait(words, 0, 0, 50);
    if (role === 'tx') {
      for (let i = 0; i < n; i++) { slots[i] = i; Atomics.store(words, 16, i + 1); }
    } else {
      const t0 = performance.now();
      let sum = 0, seen = 0;
      for (let i = 0; i < n; i++) {
        while (i === seen) seen = Atomics.load(words, 16);
        sum += slots[i];
      }
      parentPort.postMessage({ ms: performance.now() - t0, sum });
    }`;
  return { name: 'lock-free-ring', unit: 'msg/s', trials: await trials(2, () => ringRound(source)) };
}

/**
 * The same ring with weft's channel protocol and nothing else (sync/mpsc.ts):
 * a sender takes the send lock with an atomic OR (so that several Senders,
 * or one shared through an Arc, may send), writes its slot, and releases the
 * lock and publishes the count in one atomic exchange that also tells it
 * whether the receiver sleeps; the receiver, once it has caught up, watches
 * the send word for a while, then flags itself asleep and waits. What weft's
 * channel-u32 would cost with its protocol and none of its bookkeeping (the
 * ring's growth, disconnection, the trace, the seeded schedule's yield
 * points): the rest of the gap to the lock-free ring above is the protocol's.
 */
export async function lockedRing(): Promise<Figure> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { sab, role, n } = workerData;
    const words = new Int32Array(sab, 0, 64); // go at 0, the send word at 16 (count << 2 | ASLEEP | LOCKED)
    const slots = new Float64Array(sab, 256, n);
    const LOCKED = 1, ASLEEP = 2;
    parentPort.postMessage('ready');
    while (Atomics.load(words, 0) === 0) Atomics.wait(words, 0, 0, 50);
    if (role === 'tx') {
      for (let i = 0; i < n; i++) {
        while ((Atomics.or(words, 16, LOCKED) & LOCKED) !== 0);
        slots[i] = i;
        if ((Atomics.exchange(words, 16, (i + 1) << 2) & ASLEEP) !== 0) Atomics.notify(words, 16);
      }
    } else {
      const t0 = performance.now();
      let sum = 0, seen = 0;
      for (let i = 0; i < n; i++) {
        while (i === seen) {
          let word = Atomics.load(words, 16);
          for (let spin = 0; word >> 2 === i && spin < 4000; spin++) word = Atomics.load(words, 16);
          if (word >> 2 === i && (word & LOCKED) === 0 && Atomics.compareExchange(words, 16, word, word | ASLEEP) === word) {
            Atomics.wait(words, 16, word | ASLEEP);
            word = Atomics.load(words, 16);
          }
          seen = word >> 2;
        }
        sum += slots[i];
      }
      parentPort.postMessage({ ms: performance.now() - t0, sum });
    }`;
  return { name: 'locked-ring', unit: 'msg/s', trials: await trials(2, () => ringRound(source)) };
}

/**
 * The ceiling for a contended lock in JavaScript: weft's mutex-contended
 * program (two threads, 200,000 lock/+1/unlock each) on a hand-written
 * three-state futex lock (Drepper's "Futexes are tricky", mutex 2) with a
 * short spin before it sleeps, the counter a plain Int32 beside it. No
 * guard, no value copy, no checks, no poisoning. Operations per second.
 * With `threads` 1, the same 400,000 lock/+1/unlock in one thread alone:
 * what the lock costs when nobody contends, for the two-thread figure to
 * be read against.
 */
export async function contendedLock(threads: 1 | 2 = 2): Promise<Figure> {
  const source = `
    const { parentPort, workerData: { sab, n } } = require('node:worker_threads');
    const w = new Int32Array(sab); // go at 0, the lock at 16, the counter at 32
    function lock() {
      let c = Atomics.compareExchange(w, 16, 0, 1);
      if (c === 0) return;
      for (let spin = 0; spin < 100 && c !== 0; spin++) c = Atomics.compareExchange(w, 16, 0, 1);
      if (c === 0) return;
      if (c !== 2) c = Atomics.exchange(w, 16, 2);
      while (c !== 0) { Atomics.wait(w, 16, 2); c = Atomics.exchange(w, 16, 2); }
    }
    function unlock() {
      if (Atomics.sub(w, 16, 1) !== 1) { Atomics.store(w, 16, 0); Atomics.notify(w, 16, 1); }
    }
    parentPort.postMessage('ready');
    while (Atomics.load(w, 0) === 0) Atomics.wait(w, 0, 0, 50);
    for (let i = 0; i < n; i++) { lock(); w[32] = w[32] + 1; unlock(); }
    parentPort.postMessage('done');`;
  const total = 400_000;
  const n = total / threads;
  const once = async () => {
    const sab = new SharedArrayBuffer(256);
    const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { sab, n } }));
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    const done = Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    const words = new Int32Array(sab);
    const t0 = performance.now();
    Atomics.store(words, 0, 1);
    Atomics.notify(words, 0);
    await done;
    const dt = (performance.now() - t0) / 1000;
    await Promise.all(workers.map((w) => w.terminate()));
    if (words[32] !== total) throw new Error(`the hand-written lock lost updates: ${words[32]}`);
    return total / dt;
  };
  return { name: threads === 2 ? 'contended-lock' : 'uncontended-lock', unit: 'ops/s', trials: await trials(2, once) };
}

/**
 * The hand-off beneath spawn + join: two workers take turns through
 * Atomics.notify and Atomics.wait, each asleep in Atomics.wait while the
 * other runs (no spinning), µs a round trip (two wake-ups). WAKE_ROUND_TRIP's
 * text runs in Node's workers and Chromium's alike (tests/bench/browser.ts).
 */
export const WAKE_ROUND_TRIP = `
function pinger(w, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    Atomics.store(w, 0, 1); Atomics.notify(w, 0);
    while (Atomics.load(w, 1) === 0) Atomics.wait(w, 1, 0);
    Atomics.store(w, 1, 0);
  }
  Atomics.store(w, 2, 1); Atomics.store(w, 0, 1); Atomics.notify(w, 0);
  return (performance.now() - t0) * 1000 / n;
}
function ponger(w) {
  for (;;) {
    while (Atomics.load(w, 0) === 0) Atomics.wait(w, 0, 0);
    if (Atomics.load(w, 2) === 1) return;
    Atomics.store(w, 0, 0);
    Atomics.store(w, 1, 1); Atomics.notify(w, 1);
  }
}`;

export async function wakeRoundTrip(): Promise<Figure> {
  const source = `${WAKE_ROUND_TRIP}
    const { parentPort, workerData: { sab, role, n } } = require('node:worker_threads');
    const w = new Int32Array(sab);
    if (role === 'ping') parentPort.postMessage(pinger(w, n)); else ponger(w);`;
  const once = async () => {
    const sab = new SharedArrayBuffer(64);
    const pong = new Worker(source, { eval: true, workerData: { sab, role: 'pong', n: 0 } });
    const ping = new Worker(source, { eval: true, workerData: { sab, role: 'ping', n: 2000 } });
    const us = await new Promise<number>((resolve) => ping.once('message', resolve));
    await Promise.all([ping.terminate(), pong.terminate()]);
    return us;
  };
  return { name: 'wake-round-trip', unit: 'us', trials: await trials(1, once) };
}

/** Small objects from one worker to another through postMessage, messages per second. */
export async function postMessageThroughput(): Promise<Figure> {
  const source = `
    const { parentPort } = require('node:worker_threads');
    parentPort.once('message', ({ port, n }) => {
      for (let i = 0; i < n; i++) port.postMessage({ id: i, name: 'item', ok: true });
    });`;
  const receiver = `
    const { parentPort } = require('node:worker_threads');
    parentPort.once('message', ({ port, n }) => {
      let count = 0; let t0 = 0;
      port.on('message', () => { if (count === 0) t0 = performance.now(); if (++count === n) { parentPort.postMessage(n / ((performance.now() - t0) / 1000)); port.close(); } });
    });`;
  return { name: 'postmessage', unit: 'msg/s', trials: await trials(1, async () => {
    const n = 100_000;
    const a = new Worker(source, { eval: true });
    const b = new Worker(receiver, { eval: true });
    const { port1, port2 } = new MessageChannel();
    const result = new Promise<number>((resolve) => b.once('message', resolve));
    b.postMessage({ port: port2, n }, [port2]);
    a.postMessage({ port: port1, n }, [port1]);
    const rate = await result;
    await Promise.all([a.terminate(), b.terminate()]);
    return rate;
  }) };
}

/** The `multithreading` package: spawn+join (its pool) and Mutex. It has no rendezvous channel (capacity >= 1). */
export async function multithreadingFigures(): Promise<Figure[]> {
  const mt = await import('multithreading');
  const { spawn, move, Mutex } = mt as unknown as Record<string, any>;
  const figures: Figure[] = [];

  figures.push({ name: 'spawn-join', unit: 'us', trials: await trials(2, async () => {
    const n = 200;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await spawn(() => 1).join();
    return (performance.now() - t0) * 1000 / n;
  }) });

  // Channels are not measured: in this harness its bounded channel (0.3.52) told a
  // blocking receiver "Channel closed" while messages were still queued once the
  // producer's task ended, and with an extra Sender kept open the 20 000-message
  // run did not finish within 300 s. BENCHMARKS.md says so.

  figures.push({ name: 'mutex-contended', unit: 'ops/s', trials: await trials(1, async () => {
    const n = 50_000;
    const m = new Mutex(new Int32Array(new SharedArrayBuffer(4)));
    const t0 = performance.now();
    const work = (mutex: any, count: number) => {
      for (let i = 0; i < count; i++) {
        const g = mutex.blockingLock();
        g.value[0]++;
        g.dispose();
      }
    };
    await Promise.all([spawn(move(m, n), work).join(), spawn(move(m, n), work).join()]);
    return (2 * n) / ((performance.now() - t0) / 1000);
  }) });

  figures.push({ name: 'mutex-uncontended', unit: 'ns', trials: await trials(1, async () => {
    const n = 200_000;
    const m = new Mutex(new Int32Array(new SharedArrayBuffer(4)));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const g = m.blockingLock();
      g.value[0]++;
      g.dispose();
    }
    return (performance.now() - t0) * 1e6 / n;
  }) });
  mt.shutdown?.();
  return figures;
}
