/**
 * weft/task's benchmarks: the executor against JavaScript's own Promises, in
 * the same worker of the same run. `npm run bench` includes them;
 * `node tests/bench/main.ts --only=task` runs only these and rewrites only
 * the weft/task section of BENCHMARKS.md.
 *
 * The reader's `async` functions are compiled to generator futures, and a
 * program may not build code from strings (the runner's lockdown refuses
 * eval), so the native baseline runs in a plain Node worker of its own, right
 * after the weft program (`nativePromiseAll`): the same `async` code, run by
 * V8's own Promise machinery.
 */
import { Worker } from 'node:worker_threads';
import { median } from './baselines-node.ts';
import type { Figure } from './programs.ts';

export const TASK_TRIALS = 7;
export const TASK_COUNT = 100_000;
const CALLS = 100_000;

const prelude = `import { spawn, select, timeout, mpsc, time } from "weft/task";
const TRIALS = ${TASK_TRIALS};
function report(name, unit, trials) { console.log(JSON.stringify({ name, unit, trials })); }
async function trials(warmup, f) { for (let i = 0; i < warmup; i++) await f(); const out = []; for (let i = 0; i < TRIALS; i++) out.push(await f()); return out; }
async function work(i) { return i + 1; }
let sink = 0;
`;

/** name -> program source; each prints JSON figure lines. */
export const taskPrograms: Record<string, string> = {
  'task-spawn': `${prelude}
async function main() {
  const n = ${TASK_COUNT};
  // Interleaved, so both see the same machine load.
  const spawnTrials = [], futureTrials = [];
  const once = async () => {
    let t0 = performance.now();
    const hs = [];
    for (let i = 0; i < n; i++) hs.push(spawn(async () => i + 1));
    let s = 0;
    for (const h of hs) s += await h;
    const closure = performance.now() - t0;
    t0 = performance.now();
    const fs = [];
    for (let i = 0; i < n; i++) fs.push(spawn(work(i)));
    for (const h of fs) s += await h;
    const future = performance.now() - t0;
    sink += s;
    return [closure, future];
  };
  for (let i = 0; i < 2; i++) await once();
  for (let i = 0; i < TRIALS; i++) {
    const [c, f] = await once();
    spawnTrials.push(c); futureTrials.push(f);
  }
  report("task-spawn-closure", "ms", spawnTrials);
  report("task-spawn-future", "ms", futureTrials);
}`,
  'task-combinators': `${prelude}
async function main() {
  time.pause();
  const n = ${CALLS};
  const [_tx, rx] = mpsc.channel(1); // nothing is ever sent: a branch that stays pending
  const perCall = (f) => trials(2, async () => { const t0 = performance.now(); await f(); return (performance.now() - t0) * 1e6 / n; });
  report("await-direct", "ns", await perCall(async () => { for (let i = 0; i < n; i++) sink += await work(i); }));
  report("await-select", "ns", await perCall(async () => { for (let i = 0; i < n; i++) sink += (await select({ value: work(i), never: rx.recv() })).value; }));
  report("await-timeout", "ns", await perCall(async () => { for (let i = 0; i < n; i++) sink += await timeout(1000, work(i)); }));
}`,
};

/**
 * The baseline of task-spawn: \`Promise.all\` of TASK_COUNT native async calls, in a plain Node worker (not a weft
 * run: the runner refuses eval, and the compile step would lower the \`async\` functions), with the same warm-up and
 * trials as the weft program.
 */
export async function nativePromiseAll(): Promise<Figure> {
  const code = `const { parentPort } = require("node:worker_threads");
async function work(i) { return i + 1; }
async function all(n) { const ps = []; for (let i = 0; i < n; i++) ps.push(work(i)); let s = 0; for (const v of await Promise.all(ps)) s += v; return s; }
(async () => {
  const trials = [];
  for (let i = 0; i < 2 + ${TASK_TRIALS}; i++) { const t0 = performance.now(); await all(${TASK_COUNT}); if (i >= 2) trials.push(performance.now() - t0); }
  parentPort.postMessage(trials);
})();`;
  const worker = new Worker(code, { eval: true });
  try {
    const trials = await new Promise<number[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { name: 'task-promise-all', unit: 'ms', trials };
  } finally {
    await worker.terminate();
  }
}

const get = (figures: Figure[], name: string) => {
  const f = figures.find((x) => x.name === name);
  return f ? median(f.trials) : undefined;
};
const ms = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
const ns = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(0)} ns`);
const times = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

/** The weft/task section of BENCHMARKS.md. `why` explains a missed target (measured, not guessed). */
export function taskSection(node: Figure[], header: string[], why: string, chromium: Figure[] = [], rust: Figure[] = []): string[] {
  const lines: string[] = ['## weft/task (Node, worker_threads)', ''];
  lines.push(...header, '');
  lines.push(
    'Each weft figure and its baseline come from the same program in the same worker, interleaved trial by trial, except `Promise.all`: a program may not build code from strings, and the compile step lowers its `async` functions, so that baseline runs in a plain Node worker right after the weft program, with the same warm-up and number of trials. Times: lower is better; "cost" is weft\'s time over the baseline\'s. The runtime is current-thread, so these are one core\'s figures. In Chromium (the built book, last row) the baseline runs in a Worker of its own in the same page.',
    '',
  );
  lines.push('| figure | weft/task | baseline | cost | target |', '|---|---|---|---|---|');
  const closure = get(node, 'task-spawn-closure');
  const future = get(node, 'task-spawn-future');
  const promises = get(node, 'task-promise-all');
  const met = closure !== undefined && promises !== undefined && closure <= 2 * promises;
  lines.push(
    `| spawn ${TASK_COUNT.toLocaleString('en')} tasks \`spawn(async () => i + 1)\`, then await each JoinHandle | ${ms(closure)} | \`Promise.all\` of ${TASK_COUNT.toLocaleString('en')} native async calls: ${ms(promises)} | ${times(closure, promises)} | ≤ 2×: ${met ? 'met' : '**missed**'} |`,
  );
  lines.push(
    `| the same with \`spawn(work(i))\` (a future, no closure whose captures move) | ${ms(future)} | the same: ${ms(promises)} | ${times(future, promises)} | |`,
  );
  const inPage = get(chromium, 'task-spawn-closure');
  const inPageBase = get(chromium, 'task-promise-all');
  if (inPage !== undefined) {
    lines.push(
      `| the first row in Chromium (the built book's Web Worker) | ${ms(inPage)} | \`Promise.all\` in a Worker of the same page: ${ms(inPageBase)} | ${times(inPage, inPageBase)} | ≤ 2×: ${inPageBase !== undefined && inPage <= 2 * inPageBase ? 'met' : '**missed**'} |`,
    );
  }
  // Tokio itself on the same program (rust-crates/): what the library weft/task mirrors costs on this machine.
  for (const [name, label] of [
    ['tokio-spawn-current-thread', 'a current-thread runtime, as weft\'s'],
    ['tokio-spawn-multi-thread', 'the multi-thread runtime, a worker a core'],
  ] as const) {
    const tokio = get(rust, name);
    if (tokio === undefined) continue;
    lines.push(
      `| Tokio: ${TASK_COUNT.toLocaleString('en')} \`tokio::spawn(async move { i + 1 })\`, then \`.await\` each JoinHandle, on ${label} | ${ms(tokio)} | \`Promise.all\` above: ${ms(promises)} | ${times(tokio, promises)} | (what Tokio costs; weft's first row is ${times(closure, tokio)} Tokio's) |`,
    );
  }
  const direct = get(node, 'await-direct');
  const selected = get(node, 'await-select');
  const timed = get(node, 'await-timeout');
  const over = (v: number | undefined) => (v === undefined || direct === undefined ? '—' : `+${(v - direct).toFixed(0)} ns`);
  lines.push(`| \`await select({ value: work(i), never: rx.recv() })\`, per call | ${ns(selected)} | \`await work(i)\`: ${ns(direct)} | ${times(selected, direct)} (${over(selected)} per call) | |`);
  lines.push(`| \`await timeout(1000, work(i))\`, per call | ${ns(timed)} | \`await work(i)\`: ${ns(direct)} | ${times(timed, direct)} (${over(timed)} per call) | |`);
  lines.push('');
  const base = node.find((f) => f.name === 'task-promise-all')?.trials ?? [];
  const spawned = node.find((f) => f.name === 'task-spawn-closure')?.trials ?? [];
  if (base.length > 0 && spawned.length > 0) {
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} ms`;
    lines.push(
      `Spread in this run: the \`Promise.all\` trials took ${range(base)}, the task trials ${range(spawned)}; on a loaded machine the short baseline moves most, and the ratio with it.`,
      '',
    );
  }
  lines.push(
    'What the extra time per call pays for: `select` builds its array of branch futures, polls them from a random start, cancels the loser (here it takes the receiver\'s waker back) and returns a `{ key, value }`; `timeout` pushes a timer on the runtime\'s heap and cancels it when the future wins (the heap drops it lazily). `await work(i)` itself is one lowered async call: an AsyncFn, a generator, two polls\' worth of resumption.',
    '',
  );
  const tokioCurrent = get(rust, 'tokio-spawn-current-thread');
  const againstTokio =
    tokioCurrent !== undefined && promises !== undefined
      ? ` Tokio itself, in this same run, takes ${ms(tokioCurrent)} for the same ${TASK_COUNT.toLocaleString('en')} spawns on its current-thread runtime, ${times(tokioCurrent, promises)} \`Promise.all\`: each of its tasks is a heap allocation with a reference count, a state word and a place in the run queue, as weft's is.` +
        (tokioCurrent / promises > 2
          ? ' A native async call that returns at once is cheaper than a task in either library, so a ≤ 2× target asks more of weft/task than Tokio does of itself.'
          : ` So Tokio meets the target in this run, and weft/task does not: its first row is ${times(get(node, 'task-spawn-closure'), tokioCurrent)} Tokio's (Tokio's tasks are compiled state machines with no garbage collector to copy them; in the runs of 2026-12-05 on this machine Tokio\'s figure went from 1.23× to 2.10× \`Promise.all\`).`)
      : '';
  if (!met && why) lines.push(`Why the target is missed: ${why}${againstTokio}`, '');
  return lines;
}

export const TASK_BEGIN = '<!-- weft/task: begin -->';
export const TASK_END = '<!-- weft/task: end -->';
