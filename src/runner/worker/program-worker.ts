/**
 * What runs inside every worker of a run, in the browser and in Node alike.
 * A standby worker starts idle and becomes either the program's main thread
 * (compile, evaluate, call `main`) or one spawned thread (evaluate, run one
 * lifted closure). Only the way messages arrive differs per platform; the
 * entry files (program-worker.browser.ts, program-worker.node.ts) adapt that.
 */
import { mapStack } from '../../compile/source-map.ts';
import type { ProgramExports } from '../../compile/index.ts';
import { context, enterThread, hasContext, threadLabel, type Host, type SpawnRequest, type ThreadContext } from '../../weft/runtime/context.ts';
import { H, RunMemory } from '../../weft/runtime/memory.ts';
import { allocateThread, threadName } from '../../weft/runtime/thread-table.ts';
import { panicPayload, runThread, thrown } from '../../weft/runtime/threads.ts';
import { RunStopped } from '../../weft/runtime/stop.ts';
import { attachTrace, traceAttached, traceCall, traceStamp } from '../../weft/runtime/trace.ts';
import { lift, setClosureFactories, threadBody } from '../../weft/runtime/lift.ts';
import { dispose, disposer, unwinding } from '../../weft/runtime/unwind.ts';
import { dropLocal } from '../../weft/runtime/ownership.ts';
import * as threadModule from '../../weft/thread.ts';
import * as syncModule from '../../weft/sync.ts';
import * as parModule from '../../weft/par.ts';
import * as taskModule from '../../weft/task.ts';
import { lowerAsync, lowerAsyncOnce, site } from '../../weft/task/async-fn.ts';
import { NO_NAMES, taskArg, taskClosure } from '../../weft/task/move.ts';
import { discardAwaited, viaTemporary } from '../../weft/task/temporary.ts';
import { isTaskFuture, runMain, TaskHang } from '../../weft/task/runtime.ts';
import { formatArgs } from './format.ts';
import { WEFT_MODULES, type WeftModule } from '../../compile/weft-modules.ts';
import { writeOutput, writePanic } from '../output-ring.ts';
import { claimRefill, handToIdle, offerIdle, waitForThread } from '../idle-workers.ts';
import type { FromWorker, MainResult, ProgramPayload, ToWorker } from '../protocol.ts';
import { resetRunLocals } from '../../weft/runtime/run-local.ts';
import { cancelPendingCallbacks, keep, noteRemovedGlobal, restoreGlobals } from './lockdown.ts';

/** The file name stack frames show for the reader's program (the compile step's sourceURL). */
export const PROGRAM_URL = 'main.ts';

/** Each module a program may import (compile/weft-modules.ts: the compile step accepts the same list), by its specifier. */
const implementations: Record<WeftModule, object> = { 'weft/thread': threadModule, 'weft/sync': syncModule, 'weft/task': taskModule, 'weft/par': parModule };

// What a program can reach of weft and change: its classes (their statics and prototypes) and the objects it exports
// (mpsc, Ordering, …), with theirs one level down. Put back after each run with the globals (lockdown.ts,
// restoreGlobals): a run that wrapped Mutex.prototype.lock left the wrapper in the worker, and the program's next run
// there wrapped it again (each lock printed its line once more per run).
{
  const seen = new Set<unknown>();
  const keepExport = (value: unknown, depth: number) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    keep(value);
    if (typeof value === 'function' && typeof value.prototype === 'object' && value.prototype !== null) keep(value.prototype);
    if (depth > 0) for (const inner of Object.values(value)) keepExport(inner, depth - 1);
  };
  for (const module of Object.values(implementations)) for (const value of Object.values(module)) keepExport(value, 1);
}

/**
 * The weft modules a program may import. Each is wrapped so that importing a
 * name it does not export fails at the import line with the list of real
 * names, instead of an `undefined` that fails later and far away.
 */
const modules: Record<string, Record<string, unknown>> = Object.fromEntries(
  WEFT_MODULES.map((specifier) => [
    specifier,
    new Proxy(implementations[specifier] as Record<string, unknown>, {
      get(target, name) {
        if (typeof name === 'string' && !(name in target) && name !== 'then') {
          throw new SyntaxError(
            `'${specifier}' has no export named '${name}'. It exports: ${Object.keys(target).sort().join(', ')}`,
          );
        }
        return target[name as string];
      },
    }),
  ]),
);

export interface WorkerPort {
  post(message: FromWorker): void;
}

/**
 * A `spawn(…);` statement's value (compile/detach-sites.ts): a weft/thread JoinHandle nobody keeps is dropped,
 * detaching its thread as Rust does; anything else (a task's handle, a value of the program's own) is left as is.
 */
function detach(value: unknown): unknown {
  if (value instanceof threadModule.JoinHandle) value.drop();
  return value;
}

const weftImports = {
  import(specifier: string): Record<string, unknown> {
    const module = modules[specifier];
    if (module === undefined) {
      throw new Error(`'${specifier}' is not available yet in this book's weft; available: ${Object.keys(modules).join(', ')}`);
    }
    return module;
  },
  lift,
  // `async` functions, lowered by the compile step to lazy futures (compile/async-lowering.ts).
  async: lowerAsync,
  asyncOnce: lowerAsyncOnce,
  // The value of an `await` that is a statement of its own: a guard or permit is dropped there, as Rust drops it (weft/task/temporary.ts).
  discardAwaited,
  // `x.clone().downgrade()`: the temporary clone is dropped once the call made its handle, as in Rust (compile/temporary-clones.ts).
  viaTemporary,
  // Async closures passed to weft/task's spawn: their captured handles move into the task (compile/task-closures.ts).
  task: taskClosure,
  taskArg,
  noNames: NO_NAMES,
  // A throw leaving a block with `using` guards: they poison their lock when disposed (compile/using-unwind.ts).
  unwinding,
  // `using` declarations, lowered to `const` and a `try … finally` (compile/using-unwind.ts).
  disposer,
  dispose,
  site,
  // Every `throw`: a thrown value that is not an Error keeps where it was thrown (runtime/threads.ts).
  thrown,
  // An exported function entered: a `call` event in a traced run (compile/call-entries.ts).
  entered: traceCall,
  // A `spawn(…);` statement: the JoinHandle it drops detaches the thread, as in Rust (compile/detach-sites.ts).
  detach,
  // The end of a block whose local Mutex, RwLock, atomic… never left it: its record is freed (compile/local-drops.ts).
  dropLocal,
};

/** What `main` (or a called export) returned: an `async` function's future runs on this thread's executor, as `#[tokio::main]` does. */
async function settle(value: unknown): Promise<unknown> {
  return isTaskFuture(value) ? await runMain(value) : await value;
}

type ProgramFactory = (weft: typeof weftImports) => ProgramExports | Promise<ProgramExports>;

/**
 * Kept when this module loads, before the entry file's lockDown takes `eval`
 * away from the program (lockdown.ts). Called through this name it is an
 * indirect eval: global scope, and the compile step's `//# sourceURL` names
 * the program's frames `main.ts:LINE:COL` in V8 stack traces.
 */
const indirectEval: (code: string) => unknown = globalThis.eval;
/** Kept for the same reason: a program may replace `setTimeout`, and weft's own wait must still end. */
const laterTimer = globalThis.setTimeout.bind(globalThis) as (callback: () => void, ms: number) => unknown;

function load(program: ProgramPayload): ProgramFactory {
  return indirectEval(program.code) as ProgramFactory;
}

async function evaluate(program: ProgramPayload): Promise<ProgramExports> {
  return await load(program)(weftImports);
}

function makeHost(port: WorkerPort, memory: RunMemory, idleWorkers: number, threadId: number, label: string): Host {
  return {
    spawn(request) {
      // The hot path: an idle worker of this run takes the thread through run
      // memory, no message (idle-workers.ts). Only when none is idle does the
      // supervisor hear of it; the spawner never waits for a worker.
      const handed = handToIdle(memory.i32, idleWorkers, request);
      if (handed === 'none') port.post({ kind: 'spawn', request });
      if (handed !== 'handed' && claimRefill(memory.i32, idleWorkers)) port.post({ kind: 'idle-low' });
    },
    output(stream, text) {
      // After main returned (or a stop), the run is over: a thread still
      // printing is cut off here, as a Rust process's threads are at exit.
      if (Atomics.load(memory.i32, H.stop) !== 0) throw new RunStopped();
      // Through run memory, not a message each (output-ring.ts): a flood cannot swamp the page.
      writeOutput(memory, threadId, label, stream, text, traceStamp());
    },
    panic(report) {
      if (Atomics.load(memory.i32, H.stop) !== 0) return;
      try {
        writePanic(memory, threadId, noteRemovedGlobal(report));
      } catch (error) {
        if (!(error instanceof RunStopped)) throw error;
      }
    },
  };
}

function makeContext(
  port: WorkerPort,
  memory: RunMemory,
  idleWorkers: number,
  program: ProgramPayload,
  threadId: number,
  name: string | undefined,
): ThreadContext {
  const label = threadLabel(threadId, name);
  return {
    memory,
    threadId,
    name,
    host: makeHost(port, memory, idleWorkers, threadId, label),
    locate: (stack) => (stack ? (mapStack(program.map as never, stack, PROGRAM_URL) ?? undefined) : undefined),
    owned: new Set(),
    guards: [],
    // Set by enterThread; here so every context has one shape (the lock path reads both on every call).
    scheduled: false,
    // This worker was given the run's ring (attachTrace) before the context is made.
    traced: traceAttached(),
  };
}

const consoleStreams = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Routes the reader's console calls to the supervisor, labelled with this thread. */
function captureConsole(ctx: ThreadContext): void {
  const host = ctx.host;
  for (const stream of consoleStreams) {
    console[stream] = (...args: unknown[]) => host.output(stream, formatArgs(args));
  }
  // The platform's console.trace printed the whole stack: weft's and the runner's frames (their file paths) and the
  // program's at its compiled name (main.ts). Only the program's frames, at the reader's lines.
  console.trace = (...args: unknown[]) => {
    const frames: string[] = [];
    for (const line of (new Error().stack ?? '').split('\n').slice(2)) {
      const at = ctx.locate(line);
      if (at === undefined) continue;
      const name = /^\s*at (?:async )?(?:Object\.)?([^\s(]+) \(/.exec(line)?.[1];
      frames.push(`    at ${name !== undefined && name !== 'eval' && !name.startsWith('__weft') ? `${name} ` : ''}(line ${at.line}, column ${at.column})`);
    }
    host.output('error', [`Trace${args.length > 0 ? `: ${formatArgs(args)}` : ''}`, ...frames].join('\n'));
  };
}

function readerError(error: unknown, ctx: ThreadContext) {
  const payload = noteRemovedGlobal(panicPayload(error, ctx));
  return { name: payload.name, message: payload.message, location: payload.location, thread: payload.thread };
}

/** The main thread of a run: compiles the program (or takes it compiled), evaluates it and calls `main` (or the called export). */
async function serveMain(port: WorkerPort, message: Extract<ToWorker, { kind: 'main' }>): Promise<MainResult> {
  const { source, memory: buffer, idleWorkers, call, compiled, trace } = message;
  const memory = new RunMemory(buffer);
  attachTrace(trace);
  let program: ProgramPayload;
  if (compiled !== undefined) program = compiled;
  else {
    // Only the main thread compiles; spawned threads get the compiled program, so they skip loading the compiler.
    const { compile, CompileError } = await import('../../compile/index.ts');
    try {
      const result = compile(source, { filename: PROGRAM_URL });
      program = {
        code: result.code,
        map: result.map,
        hasTopLevelEffects: result.hasTopLevelEffects,
        spawns: result.closures.length > 0,
      };
    } catch (error) {
      if (error instanceof CompileError) {
        return {
          status: 'compile-error',
          error: {
            name: 'CompileError',
            message: error.message,
            location: { line: error.line, column: error.column },
            ...(error.syntax ? { syntax: true as const } : {}),
          },
          outputSeqEnd: 0,
        };
      }
      throw error;
    }
  }
  port.post({ kind: 'program', program });
  const threadId = allocateThread(memory, 'main');
  const ctx = makeContext(port, memory, idleWorkers, program, threadId, 'main');
  enterThread(ctx);
  captureConsole(ctx);
  let status: MainResult['status'] = 'ok';
  let error: MainResult['error'];
  let value: unknown;
  try {
    const exports = await evaluate(program);
    setClosureFactories(exports.closures as never);
    if (call === undefined) await settle(exports.main());
    else value = await callExport(exports, call);
  } catch (thrown) {
    if (thrown instanceof RunStopped) throw thrown;
    if (thrown instanceof TaskHang) {
      // Every task waits and nothing can wake one: reported like threads that deadlock (runner/deadlock.ts).
      Atomics.store(memory.i32, H.stop, 1);
      Atomics.notify(memory.i32, H.stop);
      return {
        status: 'deadlock',
        error: { name: thrown.name, message: thrown.message },
        errors: thrown.tasks.map((t) => ({
          name: 'Deadlock',
          message: `${t.task} is waiting for ${t.what}, and nothing can wake it`,
          thread: ctx.name ?? 'main',
          ...(t.line > 0 ? { location: { line: t.line, column: Math.max(1, t.column) } } : {}),
          task: { name: t.task, ...(t.on ? { waitsOn: t.on } : {}) },
        })),
        outputSeqEnd: Atomics.load(memory.i32, H.outputSeq),
      };
    }
    status = 'panic';
    error = readerError(thrown, ctx);
  }
  // Said now, before waiting for the event loop below, which a program's callbacks can keep busy for good.
  const ended: MainResult = { status, outputSeqEnd: Atomics.load(memory.i32, H.outputSeq) };
  if (error !== undefined) ended.error = error;
  else if (value !== undefined) ended.value = value;
  port.post({ kind: 'main-ended', result: ended });
  // Two turns of the event loop first, so a Promise main rejected and
  // nobody handled is reported (reportUnhandledRejection) before the cut:
  // Chromium dispatches 'unhandledrejection' from a task it posts after
  // the microtasks, which may come after a timer posted among them.
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => laterTimer(resolve, 0));
  // The program is over: every other thread stops at its next weft call.
  Atomics.store(memory.i32, H.stop, 1);
  Atomics.notify(memory.i32, H.stop);
  const outputSeqEnd = Atomics.load(memory.i32, H.outputSeq);
  if (error !== undefined) return { status, error, outputSeqEnd };
  return value === undefined ? { status, outputSeqEnd } : { status, outputSeqEnd, value };
}

/** RunOptions.call: the program's exported function, called on the main thread in place of `main`. */
async function callExport(exports: ProgramExports, call: { name: string; args: unknown[] }): Promise<unknown> {
  // Its own exports only: `--call constructor` (or toString, hasOwnProperty) called what the exports object
  // inherits from Object.prototype, and said "constructor returned {  }".
  const f = Object.hasOwn(exports.exports, call.name) ? exports.exports[call.name] : undefined;
  if (typeof f !== 'function') {
    throw new TypeError(`the program has no exported function \`${call.name}\`: keep \`export function ${call.name}(…)\` as the exercise gave it`);
  }
  const value: unknown = await settle(f(...call.args));
  try {
    // What goes back is a copy, as anything that leaves a thread is; say so here rather than as a runner failure.
    structuredClone(value);
  } catch (cause) {
    throw new TypeError(`\`${call.name}\` returned a value that cannot be copied out of its thread (${cause instanceof Error ? cause.message : String(cause)}): return plain data`);
  }
  return value;
}

/**
 * An idle thread worker of one run: loads the program once, then runs the
 * threads spawners hand it (idle-workers.ts) until the run stops or enough
 * workers are idle. The program's top level runs once per thread, as in a
 * fresh worker (ARCHITECTURE.md): it is evaluated again for each thread,
 * unless the compile step found that doing so changes nothing.
 */
async function serveRun(port: WorkerPort, message: Extract<ToWorker, { kind: 'join-run' }>): Promise<void> {
  const memory = new RunMemory(message.memory);
  const { program, idleWorkers, worker } = message;
  // Before the program is loaded, so none of its code sees the ring go by.
  attachTrace(message.trace);
  let factory: ProgramFactory | undefined;
  let loadError: unknown;
  try {
    factory = load(program);
  } catch (error) {
    loadError = error;
  }
  let shared: ProgramExports | undefined;
  let offered: boolean;
  try {
    offered = offerIdle(memory.i32, idleWorkers, worker);
  } catch (error) {
    if (error instanceof RunStopped) return;
    throw error;
  }
  port.post({ kind: 'idle-joined', worker });
  while (offered) {
    let request: SpawnRequest | undefined;
    try {
      request = waitForThread(memory.i32, idleWorkers, worker);
    } catch (error) {
      if (error instanceof RunStopped) return;
      throw error;
    }
    if (request === undefined) return;
    const name = threadName(memory, request.threadId);
    const ctx = makeContext(port, memory, idleWorkers, program, request.threadId, name);
    enterThread(ctx);
    captureConsole(ctx);
    let exports: ProgramExports;
    try {
      if (factory === undefined) throw loadError;
      exports = shared ?? (await factory(weftImports));
      if (!program.hasTopLevelEffects) shared = exports;
    } catch (error) {
      // Top-level statements run in every thread; one that throws is this thread's panic.
      exports = { main: () => undefined, closures: [], exports: {} };
      const failing = error;
      exports.closures[request.closureId] = () => () => {
        throw failing;
      };
    }
    const closureId = request.closureId;
    const ended = await runThread(ctx, {
      threadId: request.threadId,
      name,
      capturesPtr: request.capturesPtr,
      capturesLen: request.capturesLen,
      scoped: request.scoped,
      makeClosure: (captures) => threadBody(exports.closures as never, closureId, captures),
      // Idle again before the joiner wakes, so its next spawn finds this worker.
      beforeWake: () => {
        offered = offerIdle(memory.i32, idleWorkers, worker);
      },
    });
    if (ended === 'stopped') return;
  }
  port.post({ kind: 'worker-retired' });
}

/**
 * A Promise the program rejected and nobody handled. JavaScript has no
 * thread to panic here (the rejection surfaces after the code that made it
 * has moved on), so the reader gets a line on the error stream, with the
 * place, and the run goes on. Without this the browser says nothing and
 * Node ends the worker (a "crash").
 */
export function reportUnhandledRejection(reason: unknown): void {
  if (!hasContext()) return;
  const ctx = context();
  const payload = panicPayload(reason, ctx);
  const where = payload.location ? ` (line ${payload.location.line}, column ${payload.location.column})` : '';
  try {
    ctx.host.output('error', `Unhandled promise rejection: ${payload.name}: ${payload.message}${where}`);
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
  }
}

/**
 * An exception a callback of the program threw outside any call the program
 * made (a setTimeout, setInterval or queueMicrotask callback, a Promise's
 * `then` run by the event loop). No closure of a thread is on the stack to
 * unwind, so it cannot end its thread as a panic does; it is that thread's
 * panic all the same, reported with its line, and the run goes on, as a
 * Rust program goes on when a thread nobody joins panics. Without this the
 * browser said nothing and Node ended the worker: the run ended as
 * "A worker failed: <message>", with no thread and no line.
 */
export function reportUncaught(error: unknown): void {
  if (!hasContext() || error instanceof RunStopped) return;
  const ctx = context();
  try {
    ctx.host.panic(panicPayload(error, ctx));
  } catch (failure) {
    if (!(failure instanceof RunStopped)) throw failure;
  }
}

/** This worker's token, from the supervisor's first message (protocol.ts, "Integrity"). */
let token: string | undefined;
/** The port that signs what it sends with the token. */
let signed: WorkerPort | undefined;
/** Serving a run now: a message for another one is not the supervisor's (it waits for 'released'). */
let busy = false;

/**
 * Handles one supervisor message; entry files call this for every message
 * the supervisor sends (protocol.ts: the first on the worker's own port,
 * later ones where the program cannot listen). The first carries the
 * worker's token, and every message this worker sends from then on is
 * signed with it. Each message is one run to serve; when the worker's part
 * in it is over, it cancels the program's timers and says 'released'.
 */
export function handleMessage(raw: WorkerPort, message: ToWorker): void {
  if (token === undefined) {
    const own = message.token;
    token = own;
    signed = { post: (m) => raw.post({ ...m, token: own } as FromWorker & { token: string }) };
  } else if (message.token !== token) return;
  if (busy) return;
  busy = true;
  const port = signed!;
  const served =
    message.kind === 'main'
      ? serveMain(port, message).then(
          (result) => port.post({ kind: 'main-result', result }),
          (error: unknown) => {
            if (error instanceof RunStopped) return;
            throw new Error(`The runner failed: ${error instanceof Error ? error.message : String(error)}`);
          },
        )
      : serveRun(port, message).catch((error: unknown) => {
          if (error instanceof RunStopped) return;
          throw new Error(`weft runtime error in a thread: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        });
  served
    .then(() => {
      // Nothing of this run may fire in the next one, or keep its memory alive while this worker waits; the next
      // run starts as a fresh worker would (no task running, channel numbers from 1, no par registry…).
      cancelPendingCallbacks();
      restoreGlobals();
      resetRunLocals();
      attachTrace(undefined);
      busy = false;
      port.post({ kind: 'released' });
    })
    // A worker that failed is not given another run: the supervisor ends it.
    .catch((error: unknown) => port.post({ kind: 'fatal', message: error instanceof Error ? error.message : String(error) }));
}
