/**
 * Grading: an exercise's checks (exercises/NN-chapter/NN-slug/checks.ts,
 * written against src/exercises/checks-api.ts) judged against the learner's
 * source. Shared by the page (browser-grade.ts `startGrade`), the CLI and
 * the tests (node-grade.ts); only where the checks come from and how a run
 * starts differ.
 *
 * Contract with the exercise page (unchanged from the shared brief):
 * `startGrade(exerciseId, source, onEvent) -> { stop(), done }`, events
 * `check-start` / `check-end` / `output` / `end`, and a failing check's
 * `seed` replays with `startRun(source, { seed }, onEvent)`. Additions, all
 * optional: `check-start` also carries the check's `title`; `output` events
 * name their `check` and the run's `seed`.
 *
 * Integrity: checks run here, in the grader's realm (the page's thread or
 * Node's main thread), and see the learner's program only through runs:
 * console lines, the outcome, a returned value, and the trace weft wrote in
 * run memory. Every run starts on fresh workers that end with it
 * (supervisor.ts), so a program that rewrites its own globals (console,
 * Array.prototype, JSON) changes only what it prints or returns, never how
 * a check compares. A program can still print whatever it likes, so checks
 * that matter call the learner's functions with inputs the program cannot
 * know, or look at the trace (how many threads, which locks, which
 * messages), not only at printed text.
 *
 * Seeds: a failing run under a seed gives its seed to the check's result,
 * and `startRun(source, { seed })` replays it exactly (the seeded scheduler
 * ignores everything else in RunOptions). A failing run that called an
 * exported function also gives the call, and `startRun(source, { seed,
 * call })` replays that call, returning the same value.
 */
import { CheckFailure, type CannotJudge, type Check, type CheckContext, type ManyRuns, type ProgramRun, type RunRequest } from './checks-api.ts';
import { TraceView } from './trace-view.ts';
import { benchChanges, describeBenchChanges } from './bench.ts';
import { DEFAULT_TIMEOUT_MS, type OutputStream, type ReaderError, type RunEvent, type RunOptions, type RunOutcome, type RunStatus, type SourceLocation } from '../runner/events.ts';

export interface CheckResult {
  id: string;
  title: string;
  /**
   * When the run failed on its own (a panic, a deadlock, the time limit) for the same cause as an
   * earlier check's: that check's id. The message then says so in a line instead of explaining again.
   */
  sameCauseAs?: string;
  /** 'error': the check could not judge (the program does not compile, the runner failed, grading was stopped). */
  status: 'passed' | 'failed' | 'error';
  /** Why, when the status is 'error'. */
  reason?: CannotJudge;
  /** Why it failed, in the learner's terms. */
  message?: string;
  /** The seed of the failing run: `startRun(source, { seed, call })` replays it. */
  seed?: number;
  /**
   * With `seed`: how the message ends where it is read as text (the CLI, an editor marker),
   * " — replay seed N". The page's list of results has a Replay button that says it instead.
   */
  replayCue?: string;
  /** When the failing run called one of the program's exported functions instead of `main`: which, with what arguments. */
  call?: { name: string; args: unknown[] };
  /** With `seed`, when the failing run ran out of time: its time limit, ms, so that a replay ends as it did, no later. */
  timeoutMs?: number;
  /** Where in the learner's source, when the failure has a place (a panic, a deadlocked wait, a compile error). */
  location?: SourceLocation;
}

export interface GradeResult {
  exercise: string;
  /** Every check passed. */
  passed: boolean;
  checks: CheckResult[];
  durationMs: number;
}

export type GradeEvent =
  | { kind: 'check-start'; id: string; title: string }
  | { kind: 'check-end'; result: CheckResult }
  /** A console line of one of the check's runs (at most OUTPUT_LINES_PER_CHECK per check). */
  | { kind: 'output'; check: string; seed: number | undefined; stream: OutputStream; thread: string; text: string }
  /** Always the last event. */
  | { kind: 'end'; result: GradeResult };

export interface GradeHandle {
  /** Stops the run in progress; the current check and those not yet run end as 'error'. */
  stop(): void;
  readonly done: Promise<GradeResult>;
}

/** What grading needs of a runner: the Supervisor on the page and in Node. */
export interface RunStarter {
  startRun(source: string, options: RunOptions, onEvent: (event: RunEvent) => void): { stop(): void; readonly done: Promise<RunOutcome> };
}

export interface GradeOptions {
  /** Run only these checks (by id), in the exercise's order: the tests use it for wrong answers. */
  only?: readonly string[];
  /** Stop at the first check that does not pass: the rest end as 'error', not run (the tests use it where one failure is the answer, as for a starter). */
  untilFailure?: boolean;
  /**
   * The exercise's starter. When it has a test bench (bench.ts), a source whose bench declarations differ
   * from it fails every check without running it: the checks judge what the bench returns.
   */
  starter?: string;
}

const DEFAULT_SEEDS = 8;
const DEFAULT_FREE_RUNS = 1;
/** The page shows a check's output; a check of twenty runs would otherwise print twenty programs' worth. */
export const OUTPUT_LINES_PER_CHECK = 400;

/** Grades `source` against the checks `load` returns (a checks.ts module, or its default export). */
export function startGrading(
  exercise: string,
  load: () => Promise<unknown>,
  source: string,
  runner: RunStarter,
  onEvent: (event: GradeEvent) => void,
  options: GradeOptions = {},
): GradeHandle {
  const grading = new Grading(exercise, source, runner, onEvent);
  return { stop: () => grading.stop(), done: grading.grade(load, options) };
}

/** Loaded checks must be what checks-api's `check` makes: an array of checks with unique ids. */
export function validateChecks(exercise: string, loaded: unknown): readonly Check[] {
  const checks = (loaded as { default?: unknown })?.default ?? loaded;
  if (!Array.isArray(checks) || checks.length === 0) {
    throw new Error(`the checks of '${exercise}' must default-export a non-empty array of check(...)`);
  }
  const ids = new Set<string>();
  for (const c of checks as Check[]) {
    if (typeof c?.id !== 'string' || typeof c.body !== 'function') throw new Error(`the checks of '${exercise}' export something that is not a check(...)`);
    if (ids.has(c.id)) throw new Error(`the checks of '${exercise}' use the id '${c.id}' twice`);
    ids.add(c.id);
  }
  return checks as Check[];
}

class Stopped extends Error {}

class Grading {
  readonly #exercise: string;
  readonly #source: string;
  readonly #runner: RunStarter;
  readonly #emit: (event: GradeEvent) => void;
  #stopped = false;
  #current: { stop(): void } | undefined;

  constructor(exercise: string, source: string, runner: RunStarter, emit: (event: GradeEvent) => void) {
    this.#exercise = exercise;
    this.#source = source;
    this.#runner = runner;
    this.#emit = emit;
  }

  stop(): void {
    this.#stopped = true;
    this.#current?.stop();
  }

  async grade(load: () => Promise<unknown>, options: GradeOptions): Promise<GradeResult> {
    const started = performance.now();
    const results: CheckResult[] = [];
    let checks: readonly Check[];
    try {
      checks = validateChecks(this.#exercise, await load());
    } catch (error) {
      const result: CheckResult = {
        id: 'load-checks',
        title: 'Load the checks',
        status: 'error',
        reason: 'checks-not-loaded',
        message: `the checks could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      };
      this.#emit({ kind: 'check-start', id: result.id, title: result.title });
      this.#emit({ kind: 'check-end', result });
      return this.#end([result], started);
    }
    if (options.only) {
      const unknown = options.only.filter((id) => !checks.some((c) => c.id === id));
      if (unknown.length > 0) throw new Error(`'${this.#exercise}' has no check ${unknown.map((id) => `'${id}'`).join(', ')}`);
      checks = checks.filter((c) => options.only!.includes(c.id));
    }
    /** Once the program is found not to compile, the remaining checks say so without running it again. */
    let compileError: CheckResult | undefined;
    /** Runs that ended badly on their own, by cause: the first check that met each explains it, later ones point there. */
    const explained = new Map<string, { id: string; title: string }>();
    const bench = options.starter === undefined ? [] : benchChanges(options.starter, this.#source);
    /** With a changed bench, the first check says what changed and the others point there. */
    let benchChanged: { id: string; title: string } | undefined;
    for (const check of checks) {
      this.#emit({ kind: 'check-start', id: check.id, title: check.title });
      let result: CheckResult;
      if (this.#stopped) result = { id: check.id, title: check.title, status: 'error', reason: 'stopped', message: 'not run: grading was stopped' };
      else if (bench.length > 0) {
        const line = bench.find((c) => c.line !== undefined)?.line;
        result =
          benchChanged === undefined
            ? { id: check.id, title: check.title, status: 'failed', message: capitalize(describeBenchChanges(bench)), ...(line !== undefined ? { location: { line, column: 1 } } : {}) }
            : { id: check.id, title: check.title, status: 'failed', sameCauseAs: benchChanged.id, message: `Not judged: code the checks rely on was changed, as explained under “${benchChanged.title}”` };
        benchChanged ??= { id: check.id, title: check.title };
      }
      else if (options.untilFailure && results.some((r) => r.status !== 'passed')) {
        result = { id: check.id, title: check.title, status: 'error', reason: 'not-run', message: 'not run: an earlier check did not pass' };
      } else if (compileError) result = { ...compileError, id: check.id, title: check.title };
      else {
        const { result: checked, cause } = await this.#runCheck(check);
        result = checked;
        if (result.reason === 'does-not-compile') compileError = result;
        if (cause !== undefined && result.status === 'failed') {
          const first = explained.get(cause.key);
          if (first === undefined) explained.set(cause.key, { id: check.id, title: check.title });
          else result = { ...result, sameCauseAs: first.id, message: sameCause(cause.status, first.title) };
        }
      }
      results.push(result);
      this.#emit({ kind: 'check-end', result });
    }
    return this.#end(results, started);
  }

  #end(checks: CheckResult[], started: number): GradeResult {
    const result: GradeResult = {
      exercise: this.#exercise,
      passed: checks.length > 0 && checks.every((c) => c.status === 'passed'),
      checks,
      durationMs: performance.now() - started,
    };
    this.#emit({ kind: 'end', result });
    return result;
  }

  /** `cause`: when the run ended badly on its own, its key (CheckFailure.runEnded) and how it ended. */
  async #runCheck(check: Check): Promise<{ result: CheckResult; cause?: { key: string; status: RunStatus } }> {
    const context = new Context(this, check);
    const base = { id: check.id, title: check.title };
    try {
      await check.body(context);
      return { result: { ...base, status: 'passed' } };
    } catch (error) {
      if (error instanceof Stopped || this.#stopped) return { result: { ...base, status: 'error', reason: 'stopped', message: 'stopped before this check finished' } };
      if (error instanceof CheckFailure) {
        const cause = error.runEnded !== undefined && error.run !== undefined ? { cause: { key: error.runEnded, status: error.run.status } } : {};
        return { result: { ...base, ...describeFailure(error) }, ...cause };
      }
      // A bug in the exercise's checks, not in the learner's program: say so plainly.
      const detail = error instanceof Error ? error.message : String(error);
      return { result: { ...base, status: 'error', reason: 'check-threw', message: `this check itself failed (a bug in the exercise, not in your program): ${detail}` } };
    }
  }

  get exercise(): string {
    return this.#exercise;
  }

  /** One run of the learner's program for a check. */
  async run(check: Check, deadline: number, request: RunRequest, outputBudget: { left: number }): Promise<ProgramRun> {
    if (this.#stopped) throw new Stopped();
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new CheckFailure(
        `this check's runs took longer than its budget of ${Math.round(check.budgetMs / 1000)} s in all: is the program much slower than it needs to be?`,
      );
    }
    const options: RunOptions = { timeoutMs: Math.min(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, left) };
    if (request.seed !== undefined) options.seed = request.seed;
    if (request.trace) options.trace = true;
    if (request.call) options.call = { name: request.call.name, args: request.call.args };
    const lines: string[] = [];
    const errors: ReaderError[] = [];
    const handle = this.#runner.startRun(this.#source, options, (event) => {
      if (event.kind === 'output') {
        lines.push(event.text);
        if (outputBudget.left-- > 0) {
          this.#emit({ kind: 'output', check: check.id, seed: request.seed, stream: event.stream, thread: event.thread, text: event.text });
        }
      } else if (event.kind === 'error') errors.push(event.error);
    });
    this.#current = handle;
    const outcome = await handle.done;
    this.#current = undefined;
    if (this.#stopped) throw new Stopped();
    const run = programRun(request, outcome, lines, errors, options.timeoutMs!);
    if (outcome.status === 'compile-error') {
      const error = errors[0];
      throw new CheckFailure(`your program does not compile: ${error?.message ?? outcome.message}`, {
        reason: 'does-not-compile',
        ...(error?.location ? { location: error.location } : {}),
      });
    }
    if (outcome.status === 'crashed') throw new CheckFailure(`the runner failed, not your program: ${outcome.message}`, { reason: 'runner-failed' });
    if (!request.mayFail && outcome.status !== 'ok') {
      throw new CheckFailure(whatWentWrong(run, outcome.reason, options.timeoutMs!), { run, runEnded: endedCause(run), ...locationOf(errors) });
    }
    return run;
  }
}

class Context implements CheckContext {
  readonly #grading: Grading;
  readonly #check: Check;
  readonly #deadline: number;
  readonly #output = { left: OUTPUT_LINES_PER_CHECK };
  readonly #random: () => number;

  constructor(grading: Grading, check: Check) {
    this.#grading = grading;
    this.#check = check;
    this.#deadline = performance.now() + check.budgetMs;
    this.#random = mulberry32(hash(`${grading.exercise}/${check.id}/inputs`));
  }

  get exercise(): string {
    return this.#grading.exercise;
  }

  run(request: RunRequest = {}): Promise<ProgramRun> {
    return this.#grading.run(this.#check, this.#deadline, request, this.#output);
  }

  call(name: string, args: unknown[], request: Omit<RunRequest, 'call'> = {}): Promise<ProgramRun> {
    return this.run({ ...request, call: { name, args } });
  }

  async eachRun(plan: ManyRuns, each: (run: ProgramRun) => void | Promise<void>): Promise<void> {
    const { seeds = DEFAULT_SEEDS, free = DEFAULT_FREE_RUNS, ...request } = plan;
    const seeded = this.seeds(seeds).map((seed): number | undefined => seed);
    for (const seed of [...seeded, ...Array<undefined>(free).fill(undefined)]) {
      const run = await this.run(seed === undefined ? request : { ...request, seed });
      await each(run);
    }
  }

  seeds(n: number): number[] {
    // Small, readable seeds ("replay seed 48213"), fixed per exercise and check.
    const next = mulberry32(hash(`${this.#grading.exercise}/${this.#check.id}`));
    const seeds = new Set<number>();
    while (seeds.size < n) seeds.add(10_000 + Math.floor(next() * 90_000));
    return [...seeds];
  }

  random(): number {
    return this.#random();
  }

  fail(message: string, at?: SourceLocation): never {
    throw new CheckFailure(message, at ? { location: at } : {});
  }
}

function programRun(request: RunRequest, outcome: RunOutcome, lines: string[], errors: ReaderError[], timeoutMs: number): ProgramRun {
  const run: ProgramRun = {
    seed: request.seed,
    call: request.call,
    status: outcome.status,
    timeoutMs,
    summary: outcome.reason,
    lines,
    errors,
    value: outcome.value,
    trace: new TraceView(outcome.trace),
    find: (pattern) => {
      for (const line of lines) {
        const match = line.match(pattern);
        if (match) return match;
      }
      return undefined;
    },
    expectLine: (pattern, example) => {
      const match = run.find(pattern);
      if (match) return match;
      const said = lines.length === 0 ? 'it printed nothing' : `its last line was \`${lines.at(-1)}\``;
      return run.fail(`${request.call ? `\`${request.call.name}\`` : 'main'} never printed a line like \`${example}\` (${said})`);
    },
    fail: (message, at) => {
      throw new CheckFailure(message, { run, ...(at ? { location: at } : {}) });
    },
    failEnded: (message, at) => {
      // Where the check says the run went wrong, when it says: the first error of a panicking run may be one the program
      // meant (a transfer that crashes on purpose), with data that differ from run to run.
      const runEnded = outcome.status === 'ok' ? undefined : at !== undefined ? `${outcome.status}@${at.line}:${at.column}` : endedCause(run);
      throw new CheckFailure(message, { run, ...(at ? { location: at } : {}), ...(runEnded === undefined ? {} : { runEnded }) });
    },
  };
  return run;
}

/** How a run ended on its own, as a key (CheckFailure.runEnded): checks whose runs end alike are explained once. */
function endedCause(run: ProgramRun): string {
  const first = run.errors[0];
  // Thread numbers left out: a check with bigger inputs spawns more threads, and "moved into thread 4" under one
  // check and "thread 7" under the next is one cause.
  const message = (first?.message ?? '').replace(/\bthread \d+\b/g, 'thread N');
  return `${run.status}:${run.status === 'panic' ? `${message}@${locationOf(run.errors).location?.line ?? ''}` : ''}`;
}

/** The message of a run that ended without finishing, in the learner's terms. `reason`: the outcome's, without the supervisor's replay note (the grader names the seed its own way). */
function whatWentWrong(run: ProgramRun, reason: string, timeoutMs: number): string {
  const where = (e: ReaderError) => (e.location ? ` (line ${e.location.line})` : '');
  switch (run.status) {
    case 'panic': {
      const first = run.errors[0];
      return first ? `${first.message}${where(first)}` : `the program panicked: ${run.summary}`;
    }
    case 'deadlock': {
      // The summary names the cycle when there is one; otherwise each blocked thread says what it waits for.
      const summary = reason.replace(/^Deadlock: /, '');
      const waits = /waits for/.test(summary) ? '' : ` ${run.errors.map((e) => `${e.message}${where(e)}`).join('; ')}.`;
      return `the program deadlocked: ${summary}${waits}`;
    }
    case 'timeout': {
      // What the time limit found (runner/deadlock.ts describeAtTimeLimit): the thread that loops or waits, and
      // where; or threads that had not started yet. It said only "a thread is still waiting or looping".
      const limit = `the program did not finish within ${Math.round(timeoutMs / 100) / 10} s`;
      const first = run.errors.find((e) => e.name === 'Time limit');
      return first ? `${limit}: ${first.message}${where(first)}` : `${limit}: a thread is still waiting or looping`;
    }
    default:
      return reason;
  }
}

/** A check that failed for a cause an earlier check already explained (a run that ended with `status`): one line pointing there. */
function sameCause(status: RunStatus, firstTitle: string): string {
  const what = status === 'panic' ? 'panicked' : status === 'deadlock' ? 'deadlocked' : 'ran out of time';
  return `Not judged: the program ${what} here too, as explained under “${firstTitle}”`;
}

/** CheckResult.replayCue for a failure under `seed`. */
const replayCue = (seed: number) => ` — replay seed ${seed}`;

function locationOf(errors: readonly ReaderError[]): { location?: SourceLocation } {
  const located = errors.find((e) => e.location);
  return located?.location ? { location: located.location } : {};
}

/** A CheckFailure as the learner reads it: the author's clause, framed by the run it came from. */
function describeFailure(failure: CheckFailure): Omit<CheckResult, 'id' | 'title'> {
  const run = failure.run;
  const location = failure.location ? { location: failure.location } : {};
  if (failure.status === 'error') return { status: 'error', ...(failure.reason ? { reason: failure.reason } : {}), message: capitalize(failure.message), ...location };
  if (run?.seed === undefined) return { status: 'failed', message: capitalize(failure.message), ...location };
  const call = run.call === undefined ? {} : { call: { name: run.call.name, args: run.call.args } };
  // A run that ran out of time replays with the same limit: it ends as it did, no later.
  const limit = run.status === 'timeout' ? { timeoutMs: run.timeoutMs } : {};
  return { status: 'failed', message: `With seed ${run.seed} ${failure.message}`, seed: run.seed, replayCue: replayCue(run.seed), ...call, ...limit, ...location };
}

/** Starts a sentence with a capital, unless it starts with code (`sumChunks(…) returned`, `rx`). */
function capitalize(message: string): string {
  return /^[a-z]+(?![\w(`])/.test(message) && !message.startsWith('main ') ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A small, well-known PRNG (Tommy Ettinger's mulberry32): the same numbers on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
