/**
 * The checks API: what an exercise's `checks.ts` is written against.
 *
 *   import { check, count } from '#weft/checks';
 *
 *   export default [
 *     check('counts-every-increment', 'No increment is lost', async (t) => {
 *       await t.eachRun({ seeds: 8 }, (run) => {
 *         const total = Number(run.expectLine(/^Total: (\d+)$/, 'Total: 1000')[1]);
 *         if (total !== 1000) run.fail(`the total was ${count(total)}, expected 1,000`);
 *       });
 *     }),
 *   ];
 *
 * A check never touches the learner's program directly. It asks the grader
 * (exercises/grade.ts) for runs — `main` under a seed or free-running, or one
 * exported function called with inputs the check chooses — and judges what
 * came back: console lines, the outcome, a returned value (all copies), and
 * the trace weft recorded. Checks run on the grader's side (the page's own
 * thread, or Node's main thread), never in the learner's workers, so
 * nothing the program does to its own globals can reach them.
 *
 * Failure messages speak to the learner about what their program did:
 * "the total was 987, expected 1,000: 13 increments were lost". The grader
 * adds the run's seed ("With seed 48213 …") and how to see it again (the
 * result's `replayCue`, " — replay seed 48213", grade.ts).
 *
 * This file is imported by checks in the browser bundle and in Node: no
 * Node or DOM API here.
 */
import type { ReaderError, RunStatus, SourceLocation } from '../runner/events.ts';
import type { TraceView } from './trace-view.ts';
import { SLUG } from './ids.ts';

export type { TaskChannelSummary, TaskSummary, TraceView } from './trace-view.ts';
export type { SourceLocation } from '../runner/events.ts';

/** One check of an exercise: an id the wrong answers name, a title the learner reads, and its body. */
export interface Check {
  /** Kebab-case, unique within the exercise; `wrong/*.ts` files name it in `// fails: <id>`. */
  readonly id: string;
  /** What the learner's program must do, as a short sentence: "Every thread's result comes back, in order". */
  readonly title: string;
  readonly body: (t: CheckContext) => void | Promise<void>;
  /** Wall time the whole check may take (all its runs), ms. */
  readonly budgetMs: number;
}

export interface CheckOptions {
  /** Wall time the whole check may take, all its runs together, ms (default 60 000). */
  budgetMs?: number;
}

export const DEFAULT_CHECK_BUDGET_MS = 60_000;

/** Declares a check. `checks.ts` default-exports an array of them, in the order the learner sees them. */
export function check(id: string, title: string, body: (t: CheckContext) => void | Promise<void>, options: CheckOptions = {}): Check {
  if (!SLUG.test(id)) throw new Error(`check id '${id}' must be kebab-case (like 'counts-every-increment')`);
  return Object.freeze({ id, title, body, budgetMs: options.budgetMs ?? DEFAULT_CHECK_BUDGET_MS });
}

/** How to run the learner's program once. */
export interface RunRequest {
  /**
   * Run under weft's seeded scheduler with this seed: one thread at a time,
   * switching at synchronization points as the seed decides, so the run can
   * be replayed. Time is virtual under a seed: weft/thread's sleeps take
   * no wall time, and weft/task's clock is paused, jumping to the next
   * timer whenever every task waits, so timing checks on tasks never
   * flake. Omit it for a free run, on real parallel threads and real time.
   */
  seed?: number;
  /** Call this exported function with these arguments (plain data) instead of `main`; `run.value` is what it returned. */
  call?: { name: string; args: unknown[] };
  /** Record the trace (`run.trace`). Off by default: it costs a stack walk per event. */
  trace?: boolean;
  /** Wall time this run may take, ms (default DEFAULT_TIMEOUT_MS, 10 s, and never beyond what is left of the check's budget). */
  timeoutMs?: number;
  /**
   * Hand back runs that panicked, deadlocked or ran out of time, for the
   * check to judge. By default such a run fails the check at once, with a
   * message saying what happened and where (a panic's line, the deadlock's
   * cycle, the time limit).
   */
  mayFail?: boolean;
}

/** Several runs of one kind: the check's seeds first (replayable), then free runs. */
export interface ManyRuns extends Omit<RunRequest, 'seed'> {
  /** How many seeded runs, with this check's own seeds (the same on the page and in the CLI). Default 8. */
  seeds?: number;
  /** How many free runs after the seeded ones. Default 1. */
  free?: number;
}

/** What a check receives: the grader, seen from one check. */
export interface CheckContext {
  /** The exercise's id. */
  readonly exercise: string;
  /** Runs the program once (`main`, or `request.call`). */
  run(request?: RunRequest): Promise<ProgramRun>;
  /** Calls an exported function of the program with `args` on a fresh run; `run.value` holds what it returned. */
  call(name: string, args: unknown[], request?: Omit<RunRequest, 'call'>): Promise<ProgramRun>;
  /**
   * Runs the program under `plan.seeds` seeds and then `plan.free` free
   * runs, one after another, and calls `each` with every run; the first
   * failure ends the check, naming that run's seed.
   */
  eachRun(plan: ManyRuns, each: (run: ProgramRun) => void | Promise<void>): Promise<void>;
  /** This check's seeds: fixed per exercise and check, so the page and the CLI try the same schedules. */
  seeds(n: number): number[];
  /** A pseudo-random number in [0, 1) from a generator seeded by this check's id: inputs that vary by check but never between graders. */
  random(): number;
  /** Fails the check with a message about all its runs together ("in 4 schedules, …"); `run.fail` names one run and its seed. */
  fail(message: string, at?: SourceLocation): never;
}

/** One finished run of the learner's program, as a check sees it. Everything in it is a copy. */
export interface ProgramRun {
  /** The seed it ran under, or undefined for a free run. */
  readonly seed: number | undefined;
  /** The function it called instead of `main`, if any. */
  readonly call: { name: string; args: unknown[] } | undefined;
  readonly status: RunStatus;
  /** The time limit it ran with, ms. */
  readonly timeoutMs: number;
  /** The runner's one-line summary ("Finished in 12 ms.", the deadlock's summary...), without its replay note: the grader names the seed itself. */
  readonly summary: string;
  /** Console lines, in the order they were written. */
  readonly lines: readonly string[];
  /** Panics and other errors, with the learner's line where known. */
  readonly errors: readonly ReaderError[];
  /** What the called function returned (`request.call`). */
  readonly value: unknown;
  /** What weft's primitives did; ask for it with `trace: true`. */
  readonly trace: TraceView;
  /** The first line that matches `pattern`, or undefined. */
  find(pattern: RegExp): RegExpMatchArray | undefined;
  /** The first line that matches `pattern`; when there is none the check fails: "main never printed a line like `example`". */
  expectLine(pattern: RegExp, example: string): RegExpMatchArray;
  /** Fails the check with a message about this run (its seed is named). */
  fail(message: string, at?: SourceLocation): never;
  /**
   * `fail`, for how the run ended on its own (it panicked, deadlocked or ran
   * out of time), in the check's words: a later check whose run ends the same
   * way (the same status and `at`, or without `at` the same first error at
   * the same line) says so in one line that points here, instead of repeating it, as
   * for a run that a check without `mayFail` sees end badly. For a run that
   * finished, the same as `fail`.
   */
  failEnded(message: string, at?: SourceLocation): never;
}

/**
 * Why a check ended as 'error', without judging the program: the checks
 * could not be loaded, the program does not compile, the runner failed, the
 * check's own code threw (a bug in the exercise), an earlier check did not
 * pass (GradeOptions.untilFailure), or grading was stopped. Carried as a
 * field (CheckResult.reason), so the page and the CLI never read it out of
 * the message.
 */
export type CannotJudge = 'checks-not-loaded' | 'does-not-compile' | 'runner-failed' | 'check-threw' | 'not-run' | 'stopped';

/**
 * A failed check. `message` is the author's clause about what the program
 * did; the grader frames it with the run it came from (exercises/grade.ts).
 */
export class CheckFailure extends Error {
  readonly run: ProgramRun | undefined;
  readonly location: SourceLocation | undefined;
  /** 'error' when the check could not judge at all (the program does not compile, the runner failed). */
  readonly status: 'failed' | 'error';
  /** Why, when the grader could not judge (status 'error'): the result carries it as CheckResult.reason. */
  readonly reason: CannotJudge | undefined;
  /**
   * Set by the grader when a run ended badly on its own (it panicked, deadlocked or ran out of
   * time), rather than a check judging what it did: "panic: <message> at <line>". Checks that fail
   * for one cause are explained once (exercises/grade.ts).
   */
  readonly runEnded: string | undefined;

  constructor(message: string, options: { run?: ProgramRun; location?: SourceLocation; status?: 'failed' | 'error'; reason?: CannotJudge; runEnded?: string } = {}) {
    super(message);
    this.name = 'CheckFailure';
    this.run = options.run;
    this.location = options.location;
    this.status = options.status ?? (options.reason ? 'error' : 'failed');
    this.reason = options.reason;
    this.runEnded = options.runEnded;
  }
}

/**
 * How long `work` takes here, on the grader's side, ms: the quickest of `times` tries (the first warms it up). A
 * reference to compare a thread's measured work with (TraceView.threadWork): a thread that really did the work took
 * about as long, one that handed back a result worked out elsewhere took next to nothing.
 */
export function referenceMs(work: () => unknown, times = 3): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const began = performance.now();
    work();
    best = Math.min(best, performance.now() - began);
  }
  return best;
}

/** A whole number as a learner reads it: 10000 -> "10,000". */
export function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}

/** "1 increment", "13 increments"; `many` when the plural is not `one + s`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/**
 * A short rendering of plain data for messages: [1, 2, 3], "a", { x: 1 }; long arrays are cut.
 * Whatever a program returned must render, as it is the program's doing and not the check's: a cycle
 * ([Circular]), a BigInt (5n), a Map, a Set, a typed array or a buffer (an array that contains itself
 * once made the check fail as "a bug in the exercise").
 */
export function show(value: unknown, max = 12): string {
  return showWithin(value, max, []);
}

function showWithin(value: unknown, max: number, within: object[]): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (within.includes(value)) return '[Circular]';
  const inner = (v: unknown) => showWithin(v, max, [...within, value]);
  const list = (items: unknown[], length: number, render: (v: unknown) => string = inner) => {
    const shown = items.slice(0, max).map(render);
    if (length > max) shown.push(`… ${length - max} more`);
    return shown.join(', ');
  };
  if (Array.isArray(value)) return `[${list(value.slice(0, max), value.length)}]`;
  if (value instanceof Map) return `Map { ${list([...value].slice(0, max), value.size, (e) => { const [k, v] = e as [unknown, unknown]; return `${inner(k)} => ${inner(v)}`; })} }`;
  if (value instanceof Set) return `Set { ${list([...value].slice(0, max), value.size)} }`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from((value as unknown as ArrayLike<unknown>) ?? []).slice(0, max);
    return `${value.constructor.name} [${list(items, (value as unknown as ArrayLike<unknown>).length)}]`;
  }
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)) {
    return `${value.constructor.name} (${plural(value.byteLength, 'byte')})`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return `{ ${Object.entries(value)
    .slice(0, max)
    .map(([k, v]) => `${k}: ${inner(v)}`)
    .join(', ')} }`;
}

/** Deep equality of plain data (what comes back from a run), for comparing with a reference; a value that contains itself is equal only to itself. */
export function sameData(a: unknown, b: unknown, within: object[] = []): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (within.includes(a)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const inner = [...within, a];
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], inner));
}

/**
 * What differs between two lists taken as multisets (order ignored):
 * items `actual` lacks and items it has too many of. Both empty: the same.
 */
export function multisetDiff<T>(actual: readonly T[], expected: readonly T[]): { missing: T[]; extra: T[] } {
  // JSON where it can (a program's item that contains itself, or a BigInt, has none: its rendering then).
  const key = (v: T) => {
    try {
      return JSON.stringify(v) ?? 'undefined';
    } catch {
      return `\u0000${show(v, Infinity)}`;
    }
  };
  const remaining = new Map<string, { value: T; n: number }>();
  for (const v of expected) {
    const entry = remaining.get(key(v));
    if (entry) entry.n++;
    else remaining.set(key(v), { value: v, n: 1 });
  }
  const extra: T[] = [];
  for (const v of actual) {
    const entry = remaining.get(key(v));
    if (entry && entry.n > 0) entry.n--;
    else extra.push(v);
  }
  const missing: T[] = [];
  for (const { value, n } of remaining.values()) for (let i = 0; i < n; i++) missing.push(value);
  return { missing, extra };
}
