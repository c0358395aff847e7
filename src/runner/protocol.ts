/**
 * The wire protocol between the supervisor (the page, or the Node CLI) and
 * the workers of a run. Every message kind is named once, here; both sides
 * import this file. No value imports (types only, erased), so it stays a plain description.
 *
 * Control of the program's main thread (run, and its result) goes over
 * comlink on a dedicated MessagePort; everything else is these messages on
 * the worker's own port.
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

/** Supervisor -> worker. */
export type ToWorker =
  /** Become the main thread of a run; the comlink API is exposed on `port`. */
  | { kind: 'control'; port: MessagePort; token: string }
  /**
   * Join the run whose memory is `memory` as idle thread worker `worker`: load
   * the program, then wait in the idle-worker region at `idleWorkers` for
   * spawners to hand it threads (idle-workers.ts). No message follows.
   */
  | {
      kind: 'join-run';
      token: string;
      memory: SharedArrayBuffer;
      idleWorkers: number;
      program: ProgramPayload;
      worker: number;
      /** The run's trace ring (weft/runtime/trace.ts), when the run is traced: kept out of run memory, where the program could write it. */
      trace?: SharedArrayBuffer;
    };

/** Worker -> supervisor. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'program'; program: ProgramPayload }
  /** A spawn that found no idle worker: the supervisor gives it to the next one. */
  | { kind: 'spawn'; request: SpawnRequestPayload }
  /** Few workers are idle: the supervisor adds some (the spawner did not wait). */
  | { kind: 'idle-low' }
  /** Worker `worker` has loaded the program and is idle in run memory. */
  | { kind: 'idle-joined'; worker: number }
  /** This worker will run no more threads (enough are idle): the supervisor may end it. */
  | { kind: 'worker-retired' }
  /** The runtime itself failed: a bug in weft, not in the reader's program. */
  | { kind: 'fatal'; message: string };

/** What the main thread's `run` returns over comlink. */
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

/** The API the main-thread worker exposes over comlink. */
export interface MainApi {
  /**
   * `idleWorkers`: the address of the run's idle-worker region in `memory` (idle-workers.ts).
   * `call`: call this exported function instead of `main` (events.ts RunOptions.call).
   * `compiled`: `source` as an earlier run of it compiled it (its 'program' message), so this
   * worker need not load the compiler: a grading runs one source dozens of times.
   * `trace`: the run's trace ring, when the run is traced (weft/runtime/trace.ts).
   */
  run(
    source: string,
    memory: SharedArrayBuffer,
    idleWorkers: number,
    call?: { name: string; args: unknown[] },
    compiled?: ProgramPayload,
    trace?: SharedArrayBuffer,
  ): Promise<MainResult>;
}
