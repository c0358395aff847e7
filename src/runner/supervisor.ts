/**
 * The supervisor of runs: the one piece of code that creates, feeds and
 * terminates a run's workers, on the page and in Node alike.
 *
 * Why the page creates every worker: Chromium does not start a nested worker
 * while its parent is blocked in Atomics.wait (ARCHITECTURE.md, constraint
 * 1), and a blocked parent is the normal case here (`spawn` then `join`). So
 * a run keeps idle workers that have loaded its program, and `spawn` inside a
 * worker hands the new thread to one of them through run memory
 * (idle-workers.ts); the supervisor only tops those up, and answers a
 * spawn that found none. The supervisor never blocks, so it can always
 * stop a run: Stop and the time limit terminate every worker of the run.
 *
 * A run takes its workers from the supervisor's pool (worker-pool.ts):
 * warm workers that served a run of the same program and came to rest, else
 * standby workers started fresh, off the run's critical path. A reader's
 * program may change globals or prototypes, so a run of another program
 * never gets a worker this one used.
 */
import { H, RunMemory } from '../weft/runtime/memory.ts';
import { COUNTED as ALLOCATION_COUNTED, LIMIT_MB as ALLOCATION_LIMIT_MB } from './worker/allocation-budget.ts';
import { createIdleWorkers, idleCount, MAX_WORKERS, refillSeen, threadOfWorker, tryHandToIdle, wakeIdleWorkers } from './idle-workers.ts';
import { DEFAULT_TIMEOUT_MS, type RunEvent, type RunOptions, type RunOutcome, type RunStatus } from './events.ts';
import { describeAtTimeLimit, describeDeadlock, isDeadlocked, snapshot, type Snapshot } from './deadlock.ts';
import { startSchedule } from '../weft/runtime/scheduler.ts';
import { createTrace } from '../weft/runtime/trace.ts';
import { S, slot, threadIds, shownThreadName, ThreadState } from '../weft/runtime/thread-table.ts';
import { createOutputRing, nextToRead, readLines, readRemaining } from './output-ring.ts';
import type { FromWorker, MainResult, ProgramPayload, SpawnRequestPayload } from './protocol.ts';
import { MAX_WARM_WORKERS, PooledWorker, WorkerExited, WorkerPool, type WorkerFactory, type WorkerOwner } from './worker-pool.ts';
import { CompiledPrograms } from './compiled-programs.ts';
import { collectTrace } from './run-trace.ts';
import { formatMs, lineEvent, mainEnd, runOutcome } from './run-outcome.ts';

export type { WorkerFactory, WorkerHandle } from './worker-pool.ts';
export { MAX_WARM_WORKERS } from './worker-pool.ts';

/**
 * How a platform measures what a run's workers use together, for the
 * memory limit a run is held to besides each worker's own (WorkerOutOfMemory).
 */
export interface MemoryWatch {
  limitMb: number;
  /** Bytes the run's workers use now (undefined: cannot tell). May take long: the supervisor waits for one before asking again. */
  measure(): Promise<number | undefined>;
  /** Pause between measurements. */
  intervalMs: number;
}

export interface SupervisorOptions {
  /** Idle workers each run keeps ready for `spawn` (the supervisor keeps one more standby worker, for the next run's main). Default 4. */
  idleTarget?: number;
  /** How long one look at the run's console lines may take (the page keeps it short, to stay responsive). */
  outputBudgetMs?: number;
  memoryWatch?: MemoryWatch;
}

/**
 * What a platform's worker reports when its thread used more memory than a
 * run may: Node's `resourceLimits` (node-host.ts), the page's memory watch
 * (browser-host.ts). The run ends as 'out-of-memory', naming the thread.
 */
export class WorkerOutOfMemory extends Error {
  readonly limitMb: number;
  constructor(limitMb: number) {
    super(`more than ${limitMb} MB`);
    this.limitMb = limitMb;
    this.name = 'WorkerOutOfMemory';
  }
}

export interface RunHandle {
  /** Ends the run now: every worker is terminated; `done` resolves with status 'stopped'. */
  stop(): void;
  readonly done: Promise<RunOutcome>;
}

/**
 * How often the watchdog looks for a deadlock. Two looks in a row must agree,
 * so a deadlock is reported 150–300 ms after it happens (plus the 100 ms a
 * blocked thread waits before it records its line: runtime/wait.ts).
 */
const DEADLOCK_CHECK_MS = 150;
/** Looks the watchdog may wait for a deadlocked thread to record its line (4 × 150 ms: the report still comes within a second). */
const UNLOCATED_LOOKS = 4;
/** Workers a run may have loading the program at once (#topUp). */
const MAX_LOADING = 6;
/** How long a run's worker may take to load and compile the program before the time limit starts. */
const STARTUP_LIMIT_MS = 60_000;
/** How long a run waits for the workers of the last run of the same program to come to rest (runner/worker-pool.ts, settled). */
const SETTLE_WAIT_MS = 100;

/** How long to wait for console lines other threads are still writing when main has returned. */
const DRAIN_MS = 500;
/** The longest a timer waits (setTimeout's 32-bit delay): a longer time limit is this one, about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * How long after main's call is over ('main-ended') its 'main-result' may take before the run ends without
 * it: a Promise or timer callback that loops after main returned kept the run going until its time limit.
 */
const MAIN_RESULT_GRACE_MS = 1500;
/**
 * How often the supervisor takes console lines from the run's ring, and how
 * much it takes at once (output-ring.ts): bounded, so a program that prints
 * in a tight loop leaves the page's thread free most of the time.
 */
const PUMP_MS = 20;
const PUMP_LINES = 4000;
/** The page's budget per look: a click waits at most this long for the page's thread. */
export const PAGE_OUTPUT_BUDGET_MS = 4;
/** The pause before looking again when a look left lines behind: the page's thread stays free at least two thirds of the time. */
const PUMP_AGAIN_MS = 8;

/** Statuses of a run that ended on its own: its workers come to rest and may serve the next run of the program. */
const SETTLED: ReadonlySet<RunStatus> = new Set<RunStatus>(['ok', 'panic', 'compile-error', 'deadlock']);

export class Supervisor {
  readonly #pool: WorkerPool;
  readonly #idleTarget: number;
  readonly #outputBudgetMs: number;
  readonly #memoryWatch: MemoryWatch | undefined;
  readonly #compiled = new CompiledPrograms();

  constructor(factory: WorkerFactory, options: SupervisorOptions = {}) {
    const idleTarget = options.idleTarget ?? 4;
    this.#pool = new WorkerPool(factory, idleTarget + 1, MAX_WARM_WORKERS);
    this.#idleTarget = idleTarget;
    this.#outputBudgetMs = options.outputBudgetMs ?? PAGE_OUTPUT_BUDGET_MS;
    this.#memoryWatch = options.memoryWatch;
  }

  /** Starts the standby workers now (call when a reader is about to run something). */
  prewarm(): void {
    this.#pool.warm();
  }

  /** Workers started and not ended that no run has: standby, warm, and those of a finished run still coming to rest. */
  get keptWorkers(): number {
    return this.#pool.kept;
  }

  /** The kept workers by kind (runner/worker-pool.ts). */
  get keptByKind(): { standby: number; warm: number; settling: number } {
    return this.#pool.keptByKind;
  }

  /** Terminates the standby and warm workers (the CLI calls it so Node can exit). */
  dispose(): void {
    this.#pool.dispose();
  }

  startRun(source: string, options: RunOptions, onEvent: (event: RunEvent) => void): RunHandle {
    const run = new Run(this.#pool, this.#idleTarget, this.#outputBudgetMs, this.#compiled, source, options, onEvent);
    if (this.#memoryWatch) run.watchMemory(this.#memoryWatch);
    return run;
  }
}

class Run implements RunHandle, WorkerOwner {
  readonly done: Promise<RunOutcome>;
  readonly #pool: WorkerPool;
  readonly #onEvent: (event: RunEvent) => void;
  readonly #memory = RunMemory.create();
  /** The run's idle-worker region in run memory (idle-workers.ts). */
  readonly #idleWorkers = createIdleWorkers(this.#memory);
  readonly #idleTarget: number;
  /** Workers sent `join-run` that have not said `idle-joined` yet. */
  #joining = 0;
  #nextWorker = 0;
  /** Indices of workers that retired, free for new workers (so a long run never runs out of them). */
  readonly #freeWorkers: number[] = [];
  /** Spawns that found no idle worker, oldest first; each goes to the next worker that becomes idle. */
  readonly #waitingSpawns: SpawnRequestPayload[] = [];
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #workers = new Set<PooledWorker>();
  /** Each thread worker's index in the idle-worker region (the main worker has none). */
  readonly #workerIndex = new Map<PooledWorker, number>();
  #mainWorker: PooledWorker | undefined;
  /** Ends the run with main's result if its 'main-result' does not come (MAIN_RESULT_GRACE_MS). */
  #mainEndedTimer: ReturnType<typeof setTimeout> | undefined;
  #mainResultTaken = false;
  readonly #started = performance.now();
  #pump: ReturnType<typeof setInterval>;
  /** A look at the console lines sooner than the next PUMP_MS, because the last one left lines behind. */
  #pumpAgain: ReturnType<typeof setTimeout> | undefined;
  readonly #outputBudgetMs: number;
  #program: ProgramPayload | undefined;
  #over = false;
  /** #waitForRest: waiting for a worker of the last run to come to rest, or done waiting for good. */
  #restWait: 'waiting' | 'over' | undefined;
  #timer: ReturnType<typeof setTimeout>;
  readonly #timeoutMs: number;
  #watchdog: ReturnType<typeof setInterval>;
  #lastLook: Snapshot | undefined;
  #unlocatedLooks = 0;
  #seed: number | undefined;
  /** The run's trace ring (runtime/trace.ts), outside run memory, when the run is traced. */
  #trace: SharedArrayBuffer | undefined;
  /** What RunOptions.call's function returned. */
  #value: unknown;
  #resolve!: (outcome: RunOutcome) => void;

  readonly #compiled: CompiledPrograms;
  readonly #source: string;

  constructor(pool: WorkerPool, idleTarget: number, outputBudgetMs: number, compiled: CompiledPrograms, source: string, options: RunOptions, onEvent: (event: RunEvent) => void) {
    this.#pool = pool;
    this.#outputBudgetMs = outputBudgetMs;
    this.#compiled = compiled;
    this.#source = source;
    this.#idleTarget = idleTarget;
    this.#onEvent = onEvent;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    // The reader's time limit counts the program's own time: it starts once
    // the program is compiled and about to run ('program' below). Until
    // then a cold worker may still be loading the compiler (seconds, on a
    // slow machine or a dev server compiling modules on first request).
    // At most what a timer can wait: setTimeout fires at once past 2^31 - 1 ms (a --timeout of 1e11 ended every run
    // at its start, as "the runner took longer than 60 s to start the program", whatever the program did).
    this.#timeoutMs = Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMER_MS);
    this.#timer = setTimeout(
      () => this.#finish('timeout', `Stopped: the runner took longer than ${formatMs(STARTUP_LIMIT_MS)} to start the program.`),
      Math.max(STARTUP_LIMIT_MS, this.#timeoutMs),
    );
    this.#watchdog = setInterval(() => this.#safely(() => this.#lookForDeadlock()), DEADLOCK_CHECK_MS);
    createOutputRing(this.#memory);
    this.#pump = setInterval(
      () =>
        this.#safely(() => {
          this.#lookAtBudget();
          this.#takeLines(Infinity);
        }),
      PUMP_MS,
    );
    if (options.trace) this.#trace = createTrace(options.traceCapacity ?? 100_000, { polls: options.tracePolls === true });
    if (options.seed !== undefined) {
      this.#seed = options.seed >>> 0;
      startSchedule(this.#memory, this.#seed, options.schedule);
    }

    // A run of the program that just ran waits for that run's workers to come to rest, and takes them warm.
    void pool.settled(source, SETTLE_WAIT_MS).then(() => this.#safely(() => this.#start(options)));
  }

  /** Gives the program to a main worker. */
  #start(options: RunOptions): void {
    if (this.#over) return;
    const source = this.#source;
    const compiled = this.#compiled.get(source);
    const main = this.#adopt(this.#pool.take(source));
    this.#mainWorker = main;
    main.post({
      kind: 'main',
      token: main.token,
      memory: this.#memory.buffer,
      idleWorkers: this.#idleWorkers,
      source,
      call: options.call,
      compiled,
      trace: this.#trace,
    });
  }

  stop(): void {
    this.#finish('stopped', 'Stopped.');
  }

  /** Measures the run's memory until it ends, and ends it when its workers together use more than the watch's limit. */
  watchMemory(watch: MemoryWatch): void {
    const look = async () => {
      while (!this.#over) {
        // A short run never measures: most end before the first look.
        await new Promise((resolve) => setTimeout(resolve, watch.intervalMs));
        if (this.#over) return;
        const bytes = await watch.measure().catch(() => undefined);
        if (this.#over) return;
        if (bytes !== undefined && bytes > watch.limitMb * 1024 * 1024) {
          let running: string[] = [];
          try {
            running = this.#runningThreads();
          } catch {
            // Run memory the program wrote over (#safely): the run ends all the same, without the names.
          }
          const who = running.length === 0 ? '' : running.length === 1 ? ` (${running[0]} was running)` : ` (running: ${running.join(', ')})`;
          this.#finish('out-of-memory', `Out of memory: the program's threads used more than ${watch.limitMb} MB together${who}, and the run was stopped.`);
          return;
        }
      }
    };
    void look();
  }

  /** Ends the run when a thread went past the run's allocation budget (worker/allocation-budget.ts); that thread waits for the stop. */
  #lookAtBudget(): void {
    const id = Atomics.load(this.#memory.i32, H.overBudget);
    if (id === 0 || this.#over) return;
    this.#finish(
      'out-of-memory',
      `Out of memory: ${this.#threadCalled(id)} made more than ${ALLOCATION_LIMIT_MB} MB of large arrays and strings in this run, the most a run may make here, and was stopped (${ALLOCATION_COUNTED}, even once it is dropped: reuse a large array rather than make a new one each time round a loop).`,
    );
  }

  /** The threads that are running and not blocked in weft: those that can be allocating. */
  #runningThreads(): string[] {
    const i32 = this.#memory.i32;
    return threadIds(i32)
      .filter((id) => Atomics.load(i32, slot(id, S.state)) === ThreadState.running && Atomics.load(i32, slot(id, S.waitKind)) === 0)
      .slice(0, 4)
      .map((id) => this.#threadCalled(id));
  }

  /** A thread as the run's messages name it: `thread 'main'`, `thread 'hog'`, `thread 3`. */
  #threadCalled(id: number): string {
    const name = id === 1 ? 'main' : shownThreadName(this.#memory, id);
    return name === undefined ? `thread ${id}` : `thread '${name}'`;
  }

  /** Takes `worker` into the run: its messages (signed with its token, protocol.ts "Integrity") and failures come here. */
  #adopt(worker: PooledWorker): PooledWorker {
    this.#workers.add(worker);
    worker.owner = this;
    return worker;
  }

  /**
   * Runs one of the run's steps (a message, a timer). Run memory is the
   * program's to write too: a sharedArray is a view into it, and its
   * `.buffer` reaches weft's locks, thread table and console ring. A step
   * that throws on what it read there (or on a bug in weft) ends the run
   * with a message, where it took the CLI down with a stack trace (or left
   * the page's run going for good).
   */
  #safely(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!this.#over) this.#finish('panic', BROKEN_MEMORY, Infinity, [brokenMemory(error)]);
    }
  }

  /** setTimeout for one of the run's steps, run #safely. */
  #later(step: () => void, ms: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => this.#safely(step), ms);
  }

  failed(worker: PooledWorker, error: unknown): void {
    this.#safely(() => this.#failed(worker, error));
  }

  #failed(worker: PooledWorker, error: unknown): void {
    if (this.#over) return;
    if (error instanceof WorkerOutOfMemory) {
      this.#finish('out-of-memory', `Out of memory: ${this.#threadOn(worker)} used ${error.message}, the most a thread may use here, and was stopped.`);
      return;
    }
    if (error instanceof WorkerExited) {
      // Rust's std::process::exit ends the whole program at once; so does this, with a line that says so.
      this.#finish(
        'panic',
        `${this.#threadOn(worker)} ended the program with process.exit(${error.code}). A program in this book ends when main returns (or panics); process.exit is Node's own, and not there in the browser.`,
      );
      return;
    }
    this.#finish('crashed', `A worker failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  receive(worker: PooledWorker, message: FromWorker): void {
    this.#safely(() => this.#receive(worker, message));
  }

  #receive(worker: PooledWorker, message: FromWorker): void {
    if (this.#over) return;
    switch (message.kind) {
      case 'ready':
      case 'released':
        return;
      case 'main-result':
        if (worker === this.#mainWorker) this.#mainReturned(message.result);
        return;
      case 'main-ended':
        // main-result normally follows in a few ms; a program whose callbacks keep main's event loop busy holds it back.
        if (worker === this.#mainWorker && this.#mainEndedTimer === undefined) {
          const result = message.result;
          this.#mainEndedTimer = this.#later(() => this.#mainReturned(result), MAIN_RESULT_GRACE_MS);
        }
        return;
      case 'program':
        this.#program = message.program;
        this.#compiled.keep(this.#source, message.program);
        clearTimeout(this.#timer);
        this.#timer = this.#later(() => this.#timeLimit(), this.#timeoutMs);
        if (message.program.spawns) this.#topUp();
        return;
      case 'spawn':
        if (this.#program === undefined) throw new Error('weft supervisor: spawn before the program was compiled');
        this.#waitingSpawns.push(message.request);
        this.#serveSpawns();
        return;
      case 'idle-low':
        refillSeen(this.#memory.i32, this.#idleWorkers);
        this.#topUp();
        return;
      case 'idle-joined':
        this.#joining--;
        this.#serveSpawns();
        // Workers load a few at a time (#topUp): this one's place is free for the next.
        if (this.#waitingSpawns.length === 0) this.#topUp();
        return;
      case 'worker-retired': {
        // It runs no more threads of this run; its place in the idle-worker region is free. It comes to rest and
        // is given back with the others when the run ends.
        const index = this.#workerIndex.get(worker);
        if (index !== undefined) this.#freeWorkers.push(index);
        this.#workerIndex.delete(worker);
        return;
      }
      case 'fatal':
        this.#finish('crashed', message.message);
        return;
    }
  }

  /** "thread 'main'", "thread 'worker-2'": the thread `worker` runs, as the reader knows it. */
  #threadOn(worker: PooledWorker): string {
    if (worker === this.#mainWorker) return "thread 'main'";
    const index = this.#workerIndex.get(worker);
    const threadId = index === undefined ? undefined : threadOfWorker(this.#memory.i32, this.#idleWorkers, index);
    return threadId === undefined ? 'a thread' : this.#threadCalled(threadId);
  }

  /**
   * Adds workers until the idle ones, those still loading the program and the
   * waiting spawns leave `idleTarget` to spare. Never waits: a new worker
   * says `idle-joined` when it is idle.
   */
  #topUp(): void {
    const program = this.#program;
    if (program === undefined) return;
    const idle = idleCount(this.#memory.i32, this.#idleWorkers);
    // A spawn waiting here while workers are idle (they became idle again after running a thread, which they do
    // not announce): hand it to them first; #serveSpawns comes back here once none is idle.
    if (this.#waitingSpawns.length > 0 && idle > 0) {
      this.#serveSpawns();
      return;
    }
    let missing = this.#idleTarget + this.#waitingSpawns.length - idle - this.#joining;
    // A program that spawns a thousand threads at once must not make the
    // page start a thousand workers in one go (issue 17: the page froze for
    // > 15 s and the time limit fired 30 s late). A few load at a time; each
    // that joins (idle-joined) asks for the next.
    missing = Math.min(missing, MAX_LOADING - this.#joining);
    for (; missing > 0 && (this.#freeWorkers.length > 0 || this.#nextWorker < MAX_WORKERS); missing--) {
      if (this.#waitForRest()) return;
      const worker = this.#freeWorkers.pop() ?? this.#nextWorker++;
      this.#joining++;
      const joiner = this.#adopt(this.#pool.take(this.#source));
      this.#workerIndex.set(joiner, worker);
      joiner.post({
        kind: 'join-run',
        token: joiner.token,
        memory: this.#memory.buffer,
        idleWorkers: this.#idleWorkers,
        program,
        worker,
        trace: this.#trace,
      });
    }
  }

  /**
   * True when the workers of the last run of this program are coming to rest and none is warm yet: #topUp goes on
   * once one is (worker-pool.ts, settled), and takes it warm instead of starting a fresh worker (a few ms against
   * ~45, several hundred under load). Once a wait runs out, this run waits no more.
   */
  #waitForRest(): boolean {
    if (this.#restWait === 'over' || this.#pool.hasWarm(this.#source) || !this.#pool.comingToRest(this.#source)) return false;
    if (this.#restWait === 'waiting') return true;
    this.#restWait = 'waiting';
    void this.#pool.settled(this.#source, SETTLE_WAIT_MS).then((rested) =>
      this.#safely(() => {
        this.#restWait = rested ? undefined : 'over';
        if (!this.#over) this.#topUp();
      }),
    );
    return true;
  }

  /** Hands waiting spawns to idle workers through run memory, as a spawner would; adds workers when none is idle. */
  #serveSpawns(): void {
    while (this.#waitingSpawns.length > 0 && !this.#over) {
      const handed = tryHandToIdle(this.#memory.i32, this.#idleWorkers, this.#waitingSpawns[0]!);
      if (handed === 'handed') {
        this.#waitingSpawns.shift();
      } else if (handed === 'busy') {
        // A worker holds the stack's lock for a few instructions; the page may not block, so look again soon.
        this.#retry ??= this.#later(() => {
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

  /** Takes console lines from the run's ring, in the order they were written (output-ring.ts), below `upTo`. */
  #takeLines(upTo: number): void {
    if (this.#over) return;
    const taken = readLines(this.#memory, upTo, PUMP_LINES, this.#outputBudgetMs, (line) => this.#onEvent(lineEvent(line)));
    // Lines were left behind (a flood): look again after other tasks had their turn (a click, the time limit).
    if (taken > 0 && nextToRead(this.#memory) < Math.min(upTo, Atomics.load(this.#memory.i32, H.outputSeq)) && this.#pumpAgain === undefined) {
      this.#pumpAgain = this.#later(() => {
        this.#pumpAgain = undefined;
        this.#takeLines(upTo);
      }, PUMP_AGAIN_MS);
    }
  }

  #mainReturned(result: MainResult): void {
    if (this.#over || this.#mainResultTaken) return;
    this.#mainResultTaken = true;
    clearTimeout(this.#mainEndedTimer);
    const finish = () => {
      const { status, message, events } = mainEnd(result, formatMs(performance.now() - this.#started));
      if (status === 'ok') this.#value = result.value;
      this.#finish(status, message, result.outputSeqEnd, events);
    };
    // Lines other workers wrote before main returned may still be in flight.
    const deadline = performance.now() + DRAIN_MS;
    const waitForLines = () => {
      if (this.#over) return;
      this.#takeLines(result.outputSeqEnd);
      if (this.#over) return;
      if (nextToRead(this.#memory) >= result.outputSeqEnd || performance.now() > deadline) finish();
      else this.#later(waitForLines, 5);
    };
    waitForLines();
  }

  /** The time limit: ends the run, saying what each thread was doing then (which one loops, where the others wait). */
  #timeLimit(): void {
    if (this.#over) return;
    const notStarted = new Set(this.#waitingSpawns.map((request) => request.threadId));
    const events: RunEvent[] = describeAtTimeLimit(this.#memory, notStarted).map((error) => ({ kind: 'error', error }));
    this.#finish('timeout', `Stopped by the time limit of ${formatMs(this.#timeoutMs)}.`, Infinity, events);
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

  #finish(status: RunStatus, message: string, outputSeqEnd = Infinity, lastEvents: RunEvent[] = []): void {
    if (this.#over) return;
    // Run memory written over (#safely): the run's end is the program's, but its workers may not come to rest.
    let broken = message === BROKEN_MEMORY;
    const breaks = (error: unknown) => {
      if (broken) return;
      broken = true;
      [status, message] = ['panic', BROKEN_MEMORY];
      lastEvents = [...lastEvents, brokenMemory(error)];
    };
    clearInterval(this.#watchdog);
    clearInterval(this.#pump);
    clearTimeout(this.#pumpAgain);
    this.#over = true;
    // Tell blocked threads to give up (they check between wait slices); idle workers hear it at once.
    Atomics.store(this.#memory.i32, H.stop, 1);
    try {
      wakeIdleWorkers(this.#memory.i32, this.#idleWorkers, this.#nextWorker);
    } catch {
      // A region the program wrote over (#safely): its workers are ended below, as a crashed run's are.
      breaks(new Error('its idle workers could not be woken'));
    }
    clearTimeout(this.#timer);
    clearTimeout(this.#retry);
    clearTimeout(this.#mainEndedTimer);
    this.#waitingSpawns.length = 0;
    // A run that ended on its own: its workers come to rest at the stop flag and may serve the program's next
    // run. Any other end: they may be in the middle of the program, and are ended now.
    this.#pool.giveBack(this.#workers, this.#source, SETTLED.has(status) && !broken);
    this.#workers.clear();
    // Every worker is gone: what is in the ring now is all there will be. Read from run memory, which the program
    // may have written over (#safely): the run still ends, saying so, rather than never.
    try {
      readRemaining(this.#memory, outputSeqEnd, (line) => this.#onEvent(lineEvent(line)));
    } catch (error) {
      breaks(error);
    }
    for (const event of lastEvents) this.#onEvent(event);
    const durationMs = performance.now() - this.#started;
    let trace: ReturnType<typeof collectTrace> | undefined;
    try {
      trace = this.#trace ? collectTrace(this.#trace, this.#memory) : undefined;
    } catch (error) {
      const told = lastEvents.length;
      breaks(error);
      for (const event of lastEvents.slice(told)) this.#onEvent(event);
    }
    const outcome = runOutcome(status, message, durationMs, this.#seed, trace, this.#value);
    this.#onEvent({ kind: 'end', outcome });
    this.#resolve(outcome);
  }
}

/**
 * The end of a run whose memory weft could not read (Run #safely): the
 * program's fault, as a Rust program's that writes through a bad pointer is
 * (it would crash), not "a bug in weft"; said as an error of the run, with
 * what was read wrong.
 */
const BROKEN_MEMORY = "Stopped: weft's records in the run's memory were written over.";

function brokenMemory(error: unknown): RunEvent {
  const what = error instanceof Error ? error.message : String(error);
  return {
    kind: 'error',
    error: {
      name: 'Error',
      message:
        `weft could not read its own records in the run's memory (${what}), so the run was stopped. ` +
        `The program may have written over them: a sharedArray is a view into that memory, and its \`.buffer\` reaches weft's locks, threads and console lines. ` +
        `Write only through the array itself.`,
    },
  };
}
