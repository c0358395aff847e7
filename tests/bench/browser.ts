/**
 * The Chromium half of the benchmarks: the built book (dist/) served by
 * `astro preview` (which sends the isolation headers), the page's own runner
 * module (browser-host) imported into the page, the same weft programs as in
 * Node, and two in-page baselines: a fresh Worker per thread, and postMessage.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'astro';
import { findChromium } from '../e2e/support/browser.ts';
import { parseFigures, programs, TRIALS, type Figure } from './programs.ts';
import { listExercises } from '../../src/exercises/catalog.ts';
import { measureTimelineRender, type TimelineRender } from './timeline.ts';
import { TASK_COUNT, TASK_TRIALS } from './task.ts';
import { WAKE_ROUND_TRIP } from './baselines-node.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const assets = fileURLToPath(new URL('../../dist/_astro/', import.meta.url));

export interface BrowserResult {
  version: string;
  figures: Figure[];
  baselines: Figure[];
  /** Per exercise: how long a Check of its reference solution took to its verdict on the page, ms. */
  checks: CheckLatency[];
  /** The timeline's drawing cost (tests/bench/timeline.ts). */
  timeline: TimelineRender[];
  /** Run → first output of a small threaded example, ms (measureFirstOutput). */
  firstOutput: FirstOutput;
}

export interface FirstOutput {
  /** The first run on a freshly loaded page: no workers, nothing compiled. */
  cold: number[];
  /** The same program run again on that page. */
  warm: number[];
}

/** The program: a thread spawned, joined and its answer printed, as the book's first examples do. */
export const FIRST_OUTPUT_SOURCE = `import { spawn } from "weft/thread";

function main() {
  const handle = spawn(() => 6 * 7);
  console.log("the answer:", handle.join());
}
`;

/**
 * Run → first output as a reader sees it: from startRun (what the Run button calls) to the first
 * console line, on a page loaded afresh for each cold trial (the runner module is imported first,
 * as the page does before its first run), then warm, the same program again on that page.
 */
export async function measureFirstOutput(page: import('@playwright/test').Page, hostChunk: string, trials = TRIALS): Promise<FirstOutput> {
  const cold: number[] = [];
  const warm: number[] = [];
  const once = (chunk: string) =>
    page.evaluate(
      async ({ chunk, source }) => {
        const host = await import(chunk);
        const started = performance.now();
        return await new Promise<number>((resolve, reject) => {
          let first: number | undefined;
          const handle = host.startRun(source, { timeoutMs: 60_000 }, (event: { kind: string }) => {
            if (event.kind === 'output' && first === undefined) first = performance.now() - started;
          });
          handle.done.then((outcome: { status: string; message: string }) =>
            outcome.status === 'ok' && first !== undefined ? resolve(first) : reject(new Error(`${outcome.status}: ${outcome.message}`)),
          );
        });
      },
      { chunk, source: FIRST_OUTPUT_SOURCE },
    );
  for (let t = 0; t < trials; t++) {
    await page.reload();
    cold.push(await once(`/_astro/${hostChunk}`));
    warm.push(await once(`/_astro/${hostChunk}`));
  }
  return { cold, warm };
}

export interface CheckLatency {
  exercise: string;
  /** Wall time from startGrade to the verdict, ms, one per trial. */
  trials: number[];
  /** Every trial passed (a reference solution must). */
  passed: boolean;
}

/** Checks per exercise: a first one (the supervisor's standby workers started, programs not compiled yet) and the rest as a reader pressing Check again. */
export const CHECK_TRIALS = 3;
/** The target: a Check's verdict within this, median, for at least CHECK_TARGET_SHARE of the exercises. */
export const CHECK_TARGET_MS = 2000;
export const CHECK_TARGET_SHARE = 0.9;

/**
 * The Check latency a reader sees: the page's own grader (browser-grade startGrade, the same
 * checks and runner as the Check button) grading each exercise's reference solution, timed
 * from the call to the verdict. `gradeChunk` is the built page's browser-grade chunk.
 */
export async function measureCheckLatency(
  page: import('@playwright/test').Page,
  gradeChunk: string,
  log: (line: string) => void,
  exercises = listExercises(),
  trials = CHECK_TRIALS,
): Promise<CheckLatency[]> {
  const results: CheckLatency[] = [];
  for (const exercise of exercises) {
    log(`  chromium: Check of ${exercise.id}`);
    const measured = await page.evaluate(
      async ({ chunk, id, source, trials }) => {
        const host = await import(chunk);
        host.prewarm();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const times: number[] = [];
        let passed = true;
        for (let t = 0; t < trials; t++) {
          const started = performance.now();
          const result = await host.startGrade(id, source, () => {}).done;
          times.push(performance.now() - started);
          passed &&= result.passed;
        }
        return { times, passed };
      },
      { chunk: `/_astro/${gradeChunk}`, id: exercise.id, source: exercise.solution, trials },
    );
    results.push({ exercise: exercise.id, trials: measured.times, passed: measured.passed });
  }
  return results;
}

/** The built page's chunk named `name` (browser-host: the page's runner; browser-grade: its grader), imported by the benchmarks. */
export function builtChunk(name: 'browser-host' | 'browser-grade'): string {
  if (!existsSync(assets)) throw new Error('dist/ is missing: `npm run bench` builds the book first');
  const chunk = readdirSync(assets).find((file) => file.startsWith(`${name}.`) && file.endsWith('.js'));
  if (chunk === undefined) throw new Error(`dist/_astro has no ${name} chunk`);
  return chunk;
}

/** Serves dist/ and opens Chromium on it; `use` gets the page, with the browser's version. */
export async function withBookPage<T>(use: (page: import('@playwright/test').Page, version: string) => Promise<T>): Promise<T> {
  const server = await preview({ root, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const choice = findChromium();
  const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    return await use(page, browser.version());
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Measures, in the built book's page: every program of programs.ts and of `extra` (weft/par's and weft/task's, from
 * par.ts and task.ts), the in-page baselines (a fresh Worker, postMessage, `Promise.all` of native async calls in
 * a Worker of its own), Check latency, the timeline's drawing and Run → first output.
 */
export async function runInChromium(log: (line: string) => void, extra: Record<string, string> = {}): Promise<BrowserResult> {
  if (!existsSync(assets)) throw new Error('dist/ is missing: `npm run bench` builds the book first');
  const hostChunk = readdirSync(assets).find((file) => /^browser-host\..*\.js$/.test(file));
  if (hostChunk === undefined) throw new Error('dist/_astro has no browser-host chunk');
  const server = await preview({ root, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const choice = findChromium();
  const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    const figures: Figure[] = [];
    for (const [name, source] of Object.entries({ ...programs, ...extra })) {
      log(`  chromium: ${name}`);
      const lines = await page.evaluate(
        async ({ chunk, source }) => {
          const host = await import(chunk);
          host.prewarm();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const out: string[] = [];
          const errors: string[] = [];
          const handle = host.startRun(source, { timeoutMs: 120_000 }, (event: any) => {
            if (event.kind === 'output') out.push(event.text);
            if (event.kind === 'error') errors.push(event.error.message);
          });
          const outcome = await handle.done;
          if (outcome.status !== 'ok') throw new Error(`${outcome.status}: ${outcome.message} ${errors.join('; ')}`);
          return out;
        },
        { chunk: `/_astro/${hostChunk}`, source },
      );
      figures.push(...parseFigures(lines));
    }
    log('  chromium: baselines');
    const baselines = await page.evaluate(async ({ trialCount, taskCount, taskTrials, wakeSource }) => {
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
      void median;
      const fresh: number[] = [];
      const workerUrl = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
      for (let t = 0; t < trialCount; t++) {
        let total = 0;
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          const w = new Worker(workerUrl);
          await new Promise((resolve) => (w.onmessage = resolve));
          w.terminate();
          total += performance.now() - t0;
        }
        fresh.push((total / 5) * 1000);
      }
      const senderUrl = URL.createObjectURL(
        new Blob(
          ["onmessage = ({ data: { port, n } }) => { for (let i = 0; i < n; i++) port.postMessage({ id: i, name: 'item', ok: true }); };"],
          { type: 'text/javascript' },
        ),
      );
      const receiverUrl = URL.createObjectURL(
        new Blob(
          [
            'onmessage = ({ data: { port, n } }) => { let c = 0, t0 = 0; port.onmessage = () => { if (c === 0) t0 = performance.now(); if (++c === n) postMessage(n / ((performance.now() - t0) / 1000)); }; };',
          ],
          { type: 'text/javascript' },
        ),
      );
      const post: number[] = [];
      for (let t = 0; t < trialCount + 1; t++) {
        const n = 100_000;
        const a = new Worker(senderUrl);
        const b = new Worker(receiverUrl);
        const { port1, port2 } = new MessageChannel();
        const rate = new Promise<number>((resolve) => (b.onmessage = (e) => resolve(e.data)));
        b.postMessage({ port: port2, n }, [port2]);
        a.postMessage({ port: port1, n }, [port1]);
        const r = await rate;
        a.terminate();
        b.terminate();
        if (t > 0) post.push(r);
      }
      // weft/task's baseline (task.ts nativePromiseAll): Promise.all of native async calls, in a Worker as a weft program runs.
      const promiseAllUrl = URL.createObjectURL(
        new Blob(
          [
            `async function work(i) { return i + 1; }
async function all(n) { const ps = []; for (let i = 0; i < n; i++) ps.push(work(i)); let s = 0; for (const v of await Promise.all(ps)) s += v; return s; }
onmessage = async ({ data: { n, trials } }) => { const out = []; for (let i = 0; i < 2 + trials; i++) { const t0 = performance.now(); await all(n); if (i >= 2) out.push(performance.now() - t0); } postMessage(out); };`,
          ],
          { type: 'text/javascript' },
        ),
      );
      // The hand-off beneath spawn + join (baselines-node.ts WAKE_ROUND_TRIP): two Workers taking turns through Atomics.
      const wakeUrl = URL.createObjectURL(
        new Blob([`${wakeSource}\nonmessage = ({ data: { sab, role, n } }) => { const w = new Int32Array(sab); if (role === 'ping') postMessage(pinger(w, n)); else ponger(w); };`], {
          type: 'text/javascript',
        }),
      );
      const wake: number[] = [];
      for (let t = 0; t < trialCount + 1; t++) {
        const sab = new SharedArrayBuffer(64);
        const pong = new Worker(wakeUrl);
        const ping = new Worker(wakeUrl);
        const us = new Promise<number>((resolve) => (ping.onmessage = (e) => resolve(e.data)));
        pong.postMessage({ sab, role: 'pong', n: 0 });
        ping.postMessage({ sab, role: 'ping', n: 2000 });
        const r = await us;
        ping.terminate();
        pong.terminate();
        if (t > 0) wake.push(r);
      }
      const native = new Worker(promiseAllUrl);
      const promiseAll = await new Promise<number[]>((resolve) => {
        native.onmessage = (e) => resolve(e.data);
        native.postMessage({ n: taskCount, trials: taskTrials });
      });
      native.terminate();
      return [
        { name: 'fresh-worker', unit: 'us', trials: fresh },
        { name: 'postmessage', unit: 'msg/s', trials: post },
        { name: 'task-promise-all', unit: 'ms', trials: promiseAll },
        { name: 'wake-round-trip', unit: 'us', trials: wake },
      ];
    }, { trialCount: TRIALS, taskCount: TASK_COUNT, taskTrials: TASK_TRIALS, wakeSource: WAKE_ROUND_TRIP });
    log('  chromium: Check latency');
    const checks = await measureCheckLatency(page, builtChunk('browser-grade'), log);
    const timeline = await measureTimelineRender(page, log);
    log('  chromium: run → first output');
    const firstOutput = await measureFirstOutput(page, hostChunk);
    return { version: browser.version(), figures, baselines, checks, timeline, firstOutput };
  } finally {
    await browser.close();
    await server.stop();
  }
}
