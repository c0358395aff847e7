/**
 * The wire protocol between the supervisor (the page, or the Node CLI) and
 * the workers of a run. Every message kind is named once, here; both sides
 * import this file. No value imports (types only, erased), so it stays a plain description.
 *
 * A worker serves one run at a time, as its main thread ('main') or as one
 * of its idle thread workers ('join-run'). When its part in a run is over
 * and it is at rest (no program code on its stack, the program's timers
 * cancelled), it says 'released'; the supervisor may then give it the next
 * run of the same program (worker-pool.ts), which it starts with every
 * run-local variable reset (weft/runtime/run-local.ts).
 *
 * Integrity: the reader's program runs in the same worker as weft, and can
 * reach the worker's port itself (`postMessage` in a browser worker,
 * `process.getBuiltinModule('node:worker_threads')` in Node). So the
 * supervisor gives each worker a random token in its first message (before
 * any program code runs, and never where the program can read it), every
 * message weft sends carries it, and the supervisor drops those that do not:
 * a program cannot forge console lines, spawns or a runner failure. The
 * entry files bind the port's post function when the worker starts, so a
 * program that later replaces `postMessage` on a prototype never sees a
 * token go by.
 *
 * A worker's later runs arrive after program code has run in it, so they
 * must not pass where the program can listen: in the browser they come on a
 * MessagePort sent with the first message (the program can add a listener to
 * the worker's own port, but has no reference to that one), read through a
 * getter kept when the worker started; in Node on `parentPort`, which a
 * program cannot reach (lockdown.ts). Every field of a message is its own
 * property, so reading one never runs a getter a program put on
 * Object.prototype. The trace ring is given to weft only (trace.ts,
 * "Integrity"), whose intrinsics were kept before any program ran.
 */
import type { ReaderError } from './events.ts';

/** A compiled program as every worker of a run needs it. */
export interface ProgramPayload {
  code: string;
  /** The compile step's position map (JSON). */
  map: unknown;
  /**
   * From the compile step: false when evaluating the program again would
   * change nothing, so a worker that runs several threads of the run may
   * evaluate it once; otherwise the top level runs again for each thread.
   */
  hasTopLevelEffects: boolean;
  /** The program has closures that move into threads, so the run should have idle workers ready. */
  spawns: boolean;
}

export interface SpawnRequestPayload {
  threadId: number;
  closureId: number;
  capturesPtr: number;
  capturesLen: number;
  name: string | undefined;
  scoped: boolean;
}

/** Supervisor -> worker. Each carries every field its kind has, `undefined` where unused (see "Integrity"). */
export type ToWorker =
  /**
   * Be the main thread of a run: compile `source` (unless `compiled` has it:
   * an earlier run of it compiled it, so this worker need not load the
   * compiler), evaluate it, call `main` (or `call`'s export) and say
   * 'main-result'. `idleWorkers`: the address of the run's idle-worker region in
   * `memory` (idle-workers.ts); `trace`: the run's trace ring, when the run is traced.
   */
  | {
      kind: 'main';
      token: string;
      memory: SharedArrayBuffer;
      idleWorkers: number;
      source: string;
      call: { name: string; args: unknown[] } | undefined;
      compiled: ProgramPayload | undefined;
      trace: SharedArrayBuffer | undefined;
    }
  /**
   * Join the run whose memory is `memory` as idle thread worker `worker`: load
   * the program, then wait in the idle-worker region at `idleWorkers` for
   * spawners to hand it threads (idle-workers.ts).
   */
  | {
      kind: 'join-run';
      token: string;
      memory: SharedArrayBuffer;
      idleWorkers: number;
      program: ProgramPayload;
      worker: number;
      /** The run's trace ring (weft/runtime/trace.ts), when the run is traced: kept out of run memory, where the program could write it. */
      trace: SharedArrayBuffer | undefined;
    };

/** Worker -> supervisor. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'program'; program: ProgramPayload }
  /** The main thread's end: what `main` (or the called export) did. */
  | { kind: 'main-result'; result: MainResult }
  /**
   * main's call is over, with this result: 'main-result' follows once the
   * event loop has turned twice (to report a rejection nobody handled). A
   * program that keeps this thread's event loop busy for good (a Promise or
   * timer callback that loops) holds that back; the supervisor then ends the
   * run with this result after a grace period, as Rust's process ends with main.
   */
  | { kind: 'main-ended'; result: MainResult }
  /** A spawn that found no idle worker: the supervisor gives it to the next one. */
  | { kind: 'spawn'; request: SpawnRequestPayload }
  /** Few workers are idle: the supervisor adds some (the spawner did not wait). */
  | { kind: 'idle-low' }
  /** Worker `worker` has loaded the program and is idle in run memory. */
  | { kind: 'idle-joined'; worker: number }
  /** This worker will run no more threads of this run (enough are idle). */
  | { kind: 'worker-retired' }
  /** This worker's part in its run is over and it is at rest: it can take the next run of the same program. */
  | { kind: 'released' }
  /** The runtime itself failed: a bug in weft, not in the reader's program. */
  | { kind: 'fatal'; message: string };

/** How the main thread's part of a run ended ('main-result'). */
export interface MainResult {
  /** 'deadlock': main's tasks all wait and nothing can wake one (weft/task's hang report; `error.message` is the summary, `errors` each task). */
  status: 'ok' | 'panic' | 'compile-error' | 'deadlock';
  error?: ReaderError;
  errors?: ReaderError[];
  /** Console lines numbered below this were written before main returned; later ones are cut, as when a Rust process exits. */
  outputSeqEnd: number;
  /** What the exported function named by `run`'s `call` returned (events.ts RunOptions.call). */
  value?: unknown;
}
