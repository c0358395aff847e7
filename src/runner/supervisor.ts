/**
 * The supervisor of runs: the one piece of code that creates, feeds and
 * terminates a run's workers, on the page and in Node alike.
 *
 * Why the page creates every worker: Chromium does not start a nested worker
 * while its parent is blocked in Atomics.wait (ARCHITECTURE.md, constraint
 * 1), and a blocked parent is the normal case here (`spawn` then `join`). So
 * a run keeps idle workers that have loaded its program, and `spawn` inside a
 * worker hands the new thread to one of them through run memory
 * (idle-workers.ts); the supervisor only tops that pool up, and answers a
 * spawn that found it empty. The supervisor never blocks, so it can always
 * stop a run: Stop and the time limit terminate every worker of the run.
 *
 * Workers are not kept from one run to the next: a reader's program may
 * change globals or prototypes, and the next run must not inherit that. The
 * supervisor's own pool starts fresh workers between runs instead, off the
 * run's critical path.
 */
import * as Comlink from 'comlink';
import { H, RunMemory } from '../weft/runtime/memory.ts';
import { createIdleWorkers, idleCount, MAX_WORKERS, refillSeen, tryHandToIdle } from './idle-workers.ts';
import type { RunEvent, RunOptions, RunOutcome, RunStatus } from './events.ts';
import { describeDeadlock, isDeadlocked, snapshot, type Snapshot } from './deadlock.ts';
import { startSchedule } from '../weft/runtime/scheduler.ts';
import { readTrace, startTrace, TASK_OUTCOMES } from '../weft/runtime/trace.ts';
import { threadName } from '../weft/runtime/threads.ts';
import type { FromWorker, MainApi, MainResult, ProgramPayload, SpawnRequestPayload, ToWorker } from './protocol.ts';

/** One worker as the supervisor sees it; each platform adapts its own. */
export interface WorkerHandle {
  post(message: ToWorker, transfer?: Transferable[]): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void;
}

export type WorkerFactory = () => WorkerHandle;

export interface RunHandle {
  /** Ends the run now: every worker is terminated; `done` resolves with status 'stopped'. */
  stop(): void;
  readonly done: Promise<RunOutcome>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * How often the watchdog looks for a deadlock. Two looks in a row must agree,
 * so a deadlock is reported 150–300 ms after it happens (plus the 100 ms a
 * blocked thread waits before it records its line: runtime/wait.ts).
 */
const DEADLOCK_CHECK_MS = 150;
/** Looks the watchdog may wait for a deadlocked thread to record its line (4 × 150 ms: the report still comes within a second). */
const UNLOCATED_LOOKS = 4;
/** How long a run's worker may take to load and compile the program before the time limit starts. */
const STARTUP_LIMIT_MS = 60_000;

/** What arrives from a worker: a protocol message, signed with the worker's token (protocol.ts, "Integrity"). */
type Signed = FromWorker & { token?: string };

/** 128 random bits, hex: a worker's token. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
/** How long to wait for console lines still in flight from other workers when main has returned. */
const DRAIN_MS = 500;

/** Idle, already-started workers, so `spawn` does not pay a worker's start-up (~44 ms). */
class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #size: number;
  readonly #idle: WorkerHandle[] = [];
  #refilling = false;

  constructor(factory: WorkerFactory, size: number) {
    this.#factory = factory;
    this.#size = size;
  }

  warm(): void {
    while (this.#idle.length < this.#size) this.#idle.push(this.#factory());
  }

  take(): WorkerHandle {
    const worker = this.#idle.pop() ?? this.#factory();
    this.#scheduleRefill();
    return worker;
  }

  #scheduleRefill(): void {
    if (this.#refilling) return;
    this.#refilling = true;
    setTimeout(() => {
      this.#refilling = false;
      this.warm();
    }, 0);
  }

  dispose(): void {
    for (const worker of this.#idle.splice(0)) worker.terminate();
  }
}

export class Supervisor {
  readonly #pool: WorkerPool;
  readonly #idleTarget: number;

  /** `poolSize`: idle workers each run keeps ready for `spawn` (the supervisor keeps one more, for the next run's main). */
  constructor(factory: WorkerFactory, poolSize = 4) {
    this.#pool = new WorkerPool(factory, poolSize + 1);
    this.#idleTarget = poolSize;
  }

  /** Starts the idle workers now (call when a reader is about to run something). */
  prewarm(): void {
    this.#pool.warm();
  }

  /** Terminates idle workers (the CLI calls it so Node can exit). */
  dispose(): void {
    this.#pool.dispose();
  }

  startRun(source: string, options: RunOptions, onEvent: (event: RunEvent) => void): RunHandle {
    return new Run(this.#pool, this.#idleTarget, source, options, onEvent);
  }
}

class Run implements RunHandle {
  readonly done: Promise<RunOutcome>;
  readonly #pool: WorkerPool;
  readonly #onEvent: (event: RunEvent) => void;
  readonly #memory = RunMemory.create();
  /** The run's idle-worker region in run memory (idle-workers.ts). */
  readonly #idleWorkers = createIdleWorkers(this.#memory);
  readonly #idleTarget: number;
  /** Workers sent `join-run` that have not said `pool-joined` yet. */
  #joining = 0;
  #nextWorker = 0;
  /** Spawns that found no idle worker, oldest first; each goes to the next worker that becomes idle. */
  readonly #waitingSpawns: SpawnRequestPayload[] = [];
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #workers = new Set<WorkerHandle>();
  readonly #tokens = new Map<WorkerHandle, string>();
  readonly #started = performance.now();
  readonly #pending = new Map<number, RunEvent>();
  #nextSeq = 0;
  #program: ProgramPayload | undefined;
  #over = false;
  #timer: ReturnType<typeof setTimeout>;
  readonly #timeoutMs: number;
  #watchdog: ReturnType<typeof setInterval>;
  #lastLook: Snapshot | undefined;
  #unlocatedLooks = 0;
  #seed: number | undefined;
  #traced = false;
  /** What RunOptions.call's function returned. */
  #value: unknown;
  #resolve!: (outcome: RunOutcome) => void;
  #abandonMain!: (reason: Error) => void;
  #controlPort: MessagePort | undefined;
  /**
   * The comlink proxy of the main worker's API, held for the whole run:
   * comlink releases an endpoint (and drops every pending call on it) when
   * its proxies are garbage-collected, which made a run's result vanish.
   */
  #api: Comlink.Remote<MainApi> | undefined;

  constructor(pool: WorkerPool, idleTarget: number, source: string, options: RunOptions, onEvent: (event: RunEvent) => void) {
    this.#pool = pool;
    this.#idleTarget = idleTarget;
    this.#onEvent = onEvent;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    // The reader's time limit counts the program's own time: it starts once
    // the program is compiled and about to run ('program' below). Until
    // then a cold worker may still be loading the compiler (seconds, on a
    // slow machine or a dev server compiling modules on first request).
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#timer = setTimeout(
      () => this.#finish('timeout', `Stopped: the runner took longer than ${formatMs(STARTUP_LIMIT_MS)} to start the program.`),
      Math.max(STARTUP_LIMIT_MS, this.#timeoutMs),
    );
    this.#watchdog = setInterval(() => this.#lookForDeadlock(), DEADLOCK_CHECK_MS);
    if (options.trace) startTrace(this.#memory, options.traceCapacity ?? 100_000);
    this.#traced = options.trace === true;
    if (options.seed !== undefined) {
      this.#seed = options.seed >>> 0;
      startSchedule(this.#memory, this.#seed, options.schedule);
    }

    const main = this.#adopt(pool.take());
    const { port1, port2 } = new MessageChannel();
    this.#controlPort = port1;
    main.post({ kind: 'control', port: port2, token: this.#tokens.get(main)! }, [port2]);
    const api = Comlink.wrap<MainApi>(port1 as unknown as Comlink.Endpoint);
    this.#api = api;
    // A comlink call to a terminated worker never settles: race it with the
    // run's own end so a stopped run's call is rejected, not left pending.
    const abandoned = new Promise<never>((_, reject) => (this.#abandonMain = reject));
    abandoned.catch(() => {});
    Promise.race([api.run(source, this.#memory.buffer, this.#idleWorkers, options.call), abandoned]).then(
      (result) => this.#mainReturned(result),
      (error: unknown) => {
        if (!this.#over) this.#finish('crashed', `The runner failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  stop(): void {
    this.#finish('stopped', 'Stopped.');
  }

  #adopt(worker: WorkerHandle): WorkerHandle {
    this.#workers.add(worker);
    const token = newToken();
    this.#tokens.set(worker, token);
    worker.onMessage((message) => {
      // Only weft's own side of the worker knows the token (protocol.ts,
      // "Integrity"): a message the program forged through the worker's
      // port is dropped.
      if ((message as Signed).token === token) this.#receive(worker, message);
    });
    worker.onError((error) => {
      if (!this.#over) this.#finish('crashed', `A worker failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return worker;
  }

  #receive(worker: WorkerHandle, message: FromWorker): void {
    if (this.#over) return;
    switch (message.kind) {
      case 'ready':
        return;
      case 'program':
        this.#program = message.program;
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#finish('timeout', `Stopped by the time limit of ${formatMs(this.#timeoutMs)}.`), this.#timeoutMs);
        if (message.program.spawns) this.#topUp();
        return;
      case 'spawn':
        if (this.#program === undefined) throw new Error('weft supervisor: spawn before the program was compiled');
        this.#waitingSpawns.push(message.request);
        this.#serveSpawns();
        return;
      case 'pool-low':
        refillSeen(this.#memory.i32, this.#idleWorkers);
        this.#topUp();
        return;
      case 'pool-joined':
        this.#joining--;
        this.#serveSpawns();
        return;
      case 'output':
        this.#ordered(message.seq, {
          kind: 'output',
          stream: message.stream,
          thread: message.thread,
          threadId: message.threadId,
          text: message.text,
          ...(message.at ? { at: message.at } : {}),
        });
        return;
      case 'panic':
        this.#ordered(message.seq, {
          kind: 'error',
          error: {
            name: message.name,
            // The location travels separately: the page shows it as a link, the CLI as file:line:col.
            message: `thread '${message.thread}' panicked${message.task ? ` in ${message.task}` : ''}: ${message.message}`,
            ...(message.location ? { location: message.location } : {}),
            thread: message.thread,
          },
        });
        return;
      case 'worker-retired':
        this.#workers.delete(worker);
        worker.terminate();
        return;
      case 'fatal':
        this.#finish('crashed', message.message);
        return;
    }
  }

  /**
   * Adds workers until the idle ones, those still loading the program and the
   * waiting spawns leave `idleTarget` to spare. Never waits: a new worker
   * says `pool-joined` when it is idle.
   */
  #topUp(): void {
    const program = this.#program;
    if (program === undefined) return;
    const idle = idleCount(this.#memory.i32, this.#idleWorkers);
    let missing = this.#idleTarget + this.#waitingSpawns.length - idle - this.#joining;
    for (; missing > 0 && this.#nextWorker < MAX_WORKERS; missing--) {
      const worker = this.#nextWorker++;
      this.#joining++;
      const joiner = this.#adopt(this.#pool.take());
      joiner.post({
        kind: 'join-run',
        token: this.#tokens.get(joiner)!,
        memory: this.#memory.buffer,
        idleWorkers: this.#idleWorkers,
        program,
        worker,
      });
    }
  }

  /** Hands waiting spawns to idle workers through run memory, as a spawner would; adds workers when none is idle. */
  #serveSpawns(): void {
    while (this.#waitingSpawns.length > 0 && !this.#over) {
      const handed = tryHandToIdle(this.#memory.i32, this.#idleWorkers, this.#waitingSpawns[0]!);
      if (handed === 'handed') {
        this.#waitingSpawns.shift();
      } else if (handed === 'busy') {
        // A worker holds the stack's lock for a few instructions; the page may not block, so look again soon.
        this.#retry ??= setTimeout(() => {
          this.#retry = undefined;
          this.#serveSpawns();
        }, 0);
        return;
      } else {
        this.#topUp();
        return;
      }
    }
  }

  /** Console lines come from many workers; the shared sequence number restores the order they were written in. */
  #ordered(seq: number, event: RunEvent): void {
    this.#pending.set(seq, event);
    while (this.#pending.has(this.#nextSeq)) {
      const next = this.#pending.get(this.#nextSeq)!;
      this.#pending.delete(this.#nextSeq++);
      this.#onEvent(next);
    }
  }

  #flush(upTo = Infinity): void {
    const seqs = [...this.#pending.keys()].filter((s) => s < upTo).sort((a, b) => a - b);
    for (const seq of seqs) {
      this.#onEvent(this.#pending.get(seq)!);
      this.#pending.delete(seq);
    }
    this.#pending.clear();
  }

  #mainReturned(result: MainResult): void {
    if (this.#over) return;
    const finish = () => {
      const elapsed = formatMs(performance.now() - this.#started);
      if (result.status === 'ok') {
        this.#value = result.value;
        this.#finish('ok', `Finished in ${elapsed}.`, result.outputSeqEnd);
      } else if (result.status === 'deadlock') {
        const errors = result.errors ?? [];
        this.#finish('deadlock', result.error!.message, result.outputSeqEnd, errors.map((error) => ({ kind: 'error', error })));
      } else {
        const error = result.error!;
        this.#finish(result.status, result.status === 'compile-error' ? 'Did not compile.' : `main panicked after ${elapsed}.`, result.outputSeqEnd, {
          kind: 'error',
          error: {
            name: error.name,
            message:
              result.status === 'panic'
                ? `thread 'main' panicked: ${error.message}`
                : error.message,
            ...(error.location ? { location: error.location } : {}),
            ...(error.thread ? { thread: error.thread } : {}),
          },
        });
      }
    };
    // Lines other workers wrote before main returned may still be in flight.
    const deadline = performance.now() + DRAIN_MS;
    const waitForLines = () => {
      if (this.#over) return;
      if (this.#nextSeq >= result.outputSeqEnd || performance.now() > deadline) finish();
      else setTimeout(waitForLines, 5);
    };
    waitForLines();
  }

  #collectTrace(): NonNullable<RunOutcome['trace']> {
    const { events, dropped } = readTrace(this.#memory);
    const names = new Map<number, string>();
    const label = (id: number) => {
      let name = names.get(id);
      if (name === undefined) names.set(id, (name = threadName(this.#memory, id) ?? `thread ${id}`));
      return name;
    };
    return {
      dropped,
      events: events.map((e) => ({
        seq: e.seq,
        kind: e.kind,
        thread: label(e.threadId),
        threadId: e.threadId,
        object: e.object,
        time: e.time,
        ...(e.line > 0 ? { line: e.line, ...(e.column > 0 ? { column: e.column } : {}) } : {}),
        ...(e.kind === 'task-exit'
          ? { task: { polls: e.data[0]!, wakes: e.data[1]!, busyMicros: e.data[2]!, outcome: TASK_OUTCOMES[e.data[3]!] ?? 'ok' } }
          : {}),
      })),
    };
  }

  /** The watchdog: ends the run with a report once every thread is blocked for good. */
  #lookForDeadlock(): void {
    if (this.#over) return;
    const now = snapshot(this.#memory);
    if (isDeadlocked(this.#lastLook, now)) {
      // A blocked thread records its line itself, 100 ms into its wait
      // (runtime/wait.ts); on a loaded machine one may not have run since.
      // A few more looks let the report point at every thread's line.
      if (now.blocked.some((t) => t.line === 0) && this.#unlocatedLooks++ < UNLOCATED_LOOKS) {
        this.#lastLook = now;
        return;
      }
      const report = describeDeadlock(this.#memory, now);
      const events: RunEvent[] = report.errors.map((error) => ({ kind: 'error', error }));
      this.#finish('deadlock', report.summary, Infinity, events);
      return;
    }
    this.#lastLook = now;
  }

  #finish(status: RunStatus, message: string, outputSeqEnd = Infinity, lastEvent?: RunEvent | RunEvent[]): void {
    if (this.#over) return;
    clearInterval(this.#watchdog);
    // Tell blocked threads to give up (they check between wait slices), then end them all.
    Atomics.store(this.#memory.i32, H.stop, 1);
    this.#over = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#retry);
    this.#waitingSpawns.length = 0;
    for (const worker of this.#workers) worker.terminate();
    this.#workers.clear();
    this.#controlPort?.close();
    this.#api = undefined;
    this.#abandonMain(new Error(`the run ended: ${status}`));
    this.#flush(outputSeqEnd);
    for (const event of lastEvent === undefined ? [] : Array.isArray(lastEvent) ? lastEvent : [lastEvent]) this.#onEvent(event);
    const seeded = this.#seed !== undefined && status !== 'ok' && status !== 'stopped';
    const outcome: RunOutcome = {
      status,
      durationMs: performance.now() - this.#started,
      // A failing seeded run says how to replay it.
      message: seeded ? `${message} (seed ${this.#seed}: run it again with this seed to replay it)` : message,
      ...(this.#seed !== undefined ? { seed: this.#seed } : {}),
      ...(this.#traced ? { trace: this.#collectTrace() } : {}),
      ...(this.#value !== undefined ? { value: this.#value } : {}),
    };
    this.#onEvent({ kind: 'end', outcome });
    this.#resolve(outcome);
  }
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
