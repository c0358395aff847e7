/**
 * The weft side of the benchmarks: reader programs, run by the same runner
 * as the book's examples (in Node and in Chromium), each timing itself and
 * printing one JSON line, {"name", "unit", "trials"}. The workloads match
 * the Rust baselines in rust/src/main.rs figure for figure.
 *
 * Every program warms up first: each run starts on fresh workers, whose
 * code V8 has not optimised yet, while the pool's other workers are still
 * starting beside it on the same two cores. Measured (2026-12-05, Node 24):
 * spawn + join takes 250-500 µs a spawn for the first ~1,500 spawns of a run
 * and 25-70 µs from ~2,000 on; after a 3 s pause at the start, 210-240 µs
 * for the first 200. So spawn-join warms up with 2,400 spawns (the thread
 * limit counts live threads, so a run may spawn as many as it likes), as
 * Rust's figure is its steady state.
 */

export const TRIALS = 7;

const prelude = `import { spawn } from "weft/thread";
import { Mutex, Arc, mpsc } from "weft/sync";
const TRIALS = ${TRIALS};
function report(name, unit, trials) { console.log(JSON.stringify({ name, unit, trials })); }
function trials(warmup, f) { for (let i = 0; i < warmup; i++) f(); const out = []; for (let i = 0; i < TRIALS; i++) out.push(f()); return out; }
`;

/** name -> program source */
export const programs: Record<string, string> = {
  'spawn-join': `${prelude}
function main() {
  report("spawn-join", "us", trials(30, () => {
    const n = 80;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) spawn(() => i + 1).join();
    return (performance.now() - t0) * 1000 / n;
  }));
}`,
  'channel-u32': `${prelude}
function main() {
  report("channel-u32", "msg/s", trials(2, () => {
    const n = 200000;
    const [tx, rx] = mpsc.channel();
    const t0 = performance.now();
    const h = spawn(() => { for (let i = 0; i < n; i++) tx.send(i); });
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rx.recv();
    const dt = (performance.now() - t0) / 1000;
    h.join();
    return n / dt;
  }));
}`,
  'channel-object': `${prelude}
function main() {
  report("channel-object", "msg/s", trials(2, () => {
    const n = 100000;
    const [tx, rx] = mpsc.channel();
    const t0 = performance.now();
    const h = spawn(() => { for (let i = 0; i < n; i++) tx.send({ id: i, name: "item", ok: true }); });
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rx.recv().id;
    const dt = (performance.now() - t0) / 1000;
    h.join();
    return n / dt;
  }));
}`,
  rendezvous: `${prelude}
function main() {
  report("rendezvous", "us", trials(2, () => {
    const n = 5000;
    const [toTx, toRx] = mpsc.syncChannel(0);
    const [backTx, backRx] = mpsc.syncChannel(0);
    const h = spawn(() => { for (const v of toRx) backTx.send(v + 1); });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { toTx.send(i); backRx.recv(); }
    const dt = performance.now() - t0;
    toTx.drop();
    h.join();
    return dt * 1000 / n;
  }));
}`,
  'mutex-contended': `${prelude}
function main() {
  report("mutex-contended", "ops/s", trials(2, () => {
    const n = 200000;
    const m = new Arc(new Mutex(0));
    const t0 = performance.now();
    const hs = [0, 1].map(() => {
      const mine = m.clone();
      return spawn(() => { for (let i = 0; i < n; i++) { const g = mine.lock(); g.value = g.value + 1; g.unlock(); } });
    });
    for (const h of hs) h.join();
    const dt = (performance.now() - t0) / 1000;
    const g = m.lock();
    if (g.value !== 2 * n) throw new Error("lost updates: " + g.value);
    g.unlock();
    return 2 * n / dt;
  }));
}`,
  // 4 producers → 4 consumers on one channel, the consumers sharing the Receiver through Arc<Mutex<…>>
  // (the book's thread pool); the guard is held across recv, as Rust's \`rx.lock().unwrap().recv()\` holds it.
  'channel-mpmc': `${prelude}
function main() {
  report("channel-mpmc", "msg/s", trials(2, () => {
    const n = 100000;
    const [tx, rx] = mpsc.channel();
    const shared = new Arc(new Mutex(rx));
    const t0 = performance.now();
    const producers = [0, 1, 2, 3].map((p) => {
      const mine = tx.clone();
      return spawn(() => { for (let i = 0; i < n / 4; i++) mine.send(p + i); });
    });
    tx.drop();
    const consumers = [0, 1, 2, 3].map(() => {
      const mine = shared.clone();
      return spawn(() => {
        let got = 0;
        for (;;) {
          const g = mine.lock();
          let more = true;
          try { g.value.recv(); got++; } catch { more = false; }
          g.unlock();
          if (!more) return got;
        }
      });
    });
    for (const h of producers) h.join();
    let total = 0;
    for (const h of consumers) total += h.join();
    const dt = (performance.now() - t0) / 1000;
    if (total !== n) throw new Error("lost messages: " + total);
    return n / dt;
  }));
}`,
  'mutex-uncontended': `${prelude}
function main() {
  report("mutex-uncontended", "ns", trials(3, () => {
    const n = 1000000;
    const m = new Mutex(0);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { const g = m.lock(); g.value = g.value + 1; g.unlock(); }
    return (performance.now() - t0) * 1e6 / n;
  }));
}`,
  // The same, the way the book holds a lock: the guard released by \`using\` at the end of the block.
  'mutex-using': `${prelude}
function main() {
  report("mutex-using", "ns", trials(3, () => {
    const n = 1000000;
    const m = new Mutex(0);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { using g = m.lock(); g.value = g.value + 1; }
    return (performance.now() - t0) * 1e6 / n;
  }));
}`,
};

export interface Figure {
  name: string;
  unit: string;
  trials: number[];
}

/** The JSON lines a program printed. */
export function parseFigures(lines: string[]): Figure[] {
  return lines.filter((line) => line.startsWith('{"name"')).map((line) => JSON.parse(line) as Figure);
}
