/**
 * What a run tells whoever started it (the page's output panel, the CLI).
 * No value imports (types only, erased): shared by the page, the workers and Node.
 */
import type { SourceLocation } from '../weft/runtime/context.ts';
import type { WaitsOn } from '../weft/task/future.ts';

/** A place in the reader's own source, 1-based line and column: weft's own type (weft/runtime/context.ts), re-exported for the page and the CLI. */
export type { SourceLocation };

/** An error the reader can act on: a compile error, a panic, a deadlock. */
export interface ReaderError {
  /** `CompileError`, `ThreadPanic`, `TypeError`, ... */
  name: string;
  message: string;
  /** Where in the reader's source, when known. */
  location?: SourceLocation;
  /** Name of the thread it happened in (`main`, `worker-1`, `thread 3`). */
  thread?: string;
  /**
   * In a deadlock of tasks (every task waits and nothing can wake one): the task, and what it waits on when that can
   * be named (an async lock and the task holding it, or the task it joins), for the wait-for graph.
   */
  task?: { name: string; waitsOn?: WaitsOn };
  /** A CompileError the parser raised (`syntax error: …`, compile/errors.ts): the editor's TypeScript may place it better. */
  syntax?: true;
}

export type OutputStream = 'log' | 'info' | 'warn' | 'error' | 'debug';

export type RunEvent =
  /** One console line written by the reader's program. */
  | {
      kind: 'output';
      stream: OutputStream;
      thread: string;
      threadId: number;
      text: string;
      /** In a traced run (RunOptions.trace): when, on the trace's clock (TraceEvent.time), and the reader's line of the console call. */
      at?: { time: number; line?: number };
    }
  /** An uncaught error (also a compile error): shown in the log and as an editor marker. */
  | { kind: 'error'; error: ReaderError }
  /** The run is over; always the last event. */
  | { kind: 'end'; outcome: RunOutcome };

export type RunStatus =
  | 'ok' // main returned
  | 'panic' // main threw (or rethrew a thread's panic)
  | 'compile-error'
  | 'timeout' // the time limit ended it
  | 'stopped' // the reader pressed Stop
  | 'deadlock'
  | 'out-of-memory' // a thread's worker used more memory than a run may (runner/supervisor.ts, WorkerOutOfMemory)
  | 'crashed'; // the runtime itself failed (a bug in weft: report it)

export interface RunOutcome {
  status: RunStatus;
  /** Wall time from start to end, ms. */
  durationMs: number;
  /**
   * A one-line summary the panel shows ("main returned after 12 ms", "stopped after 10 s time limit").
   * A failing seeded run's ends with how to replay it: "(seed 7: run it again with this seed to replay it)".
   */
  message: string;
  /** `message` without the replay note: what a caller that names the seed its own way (the grader, the timeline's outcome labels) quotes. */
  reason: string;
  /** The seed, when the run was replayed under the seeded scheduler. */
  seed?: number;
  /** The trace, when RunOptions.trace asked for it. */
  trace?: { events: TraceEvent[]; dropped: number };
  /** What the function named by RunOptions.call returned (a structured clone), when the run is 'ok'. */
  value?: unknown;
}

/** A run's time limit when RunOptions.timeoutMs does not set one, ms: the supervisor's, the grader's, and the one the page and the CLI name. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RunOptions {
  /** Default DEFAULT_TIMEOUT_MS (10 s); the run is stopped after it. */
  timeoutMs?: number;
  /**
   * Run under the seeded scheduler with this seed: one thread at a time,
   * switching only at weft's synchronization points, chosen from the seed,
   * so the same seed replays the same interleaving and output. Time is
   * virtual (sleeps and timeouts take no wall time).
   */
  seed?: number;
  /** How the seeded scheduler chooses: uniform random (default) or PCT (runtime/scheduler.ts). */
  schedule?: 'random' | 'pct';
  /** Record the run's trace (runtime/trace.ts) and return it in the outcome. Off by default: it costs a stack walk per event. */
  trace?: boolean;
  /** At most this many trace events are kept (default 100 000); the outcome says how many were dropped. */
  traceCapacity?: number;
  /** With `trace`: record every poll of every task too (`task-poll` events), for a timeline; grading runs leave it off. */
  tracePolls?: boolean;
  /**
   * Call this exported function of the program instead of `main`, with
   * `args` (copied in, by structured clone); what it returns comes back as
   * RunOutcome.value. Exercise checks use it to call the learner's functions
   * with inputs the program cannot know in advance (exercises/grade.ts). The
   * program still needs its `main`, as every program does.
   */
  call?: { name: string; args: unknown[] };
}

/**
 * One thing a weft primitive did, for timelines and exercise checks.
 * `object` identifies the primitive (its address in run memory; for
 * `spawn`, the new thread's id). `time` is microseconds since the run
 * started, or the seeded scheduler's step, so a seed replays its trace
 * exactly. `line`/`column` are the reader's, when the event came from
 * their code.
 */
export interface TraceEvent {
  seq: number;
  /**
   * `lock`/`unlock` cover Mutex and RwLock (read and write); `join`'s object is the joined thread's id, `spawn`'s the new one's.
   * `task-spawn`/`task-exit` are weft/task's tasks (object: the task's id, unique within its thread): task-spawn's line
   * is where it was spawned, task-exit's the last `await` it waited at, and task-exit carries `task`.
   */
  kind:
    | 'spawn'
    | 'exit'
    | 'block'
    | 'wake'
    | 'lock'
    | 'unlock'
    | 'send'
    | 'recv'
    | 'join'
    | 'task-spawn'
    | 'task-exit'
    /** A blocking weft call inside a task (object: the task's id), at the call. */
    | 'task-blocking'
    /** A task stopped at an await while its thread held a weft/sync lock guard (object: the task's id), at the await. */
    | 'held-across-await'
    /** A message queued on a weft/task mpsc channel (object: the channel's id on its thread; `taskId`: who sent it), at the send. */
    | 'task-send'
    /** A message taken from a weft/task mpsc channel (object: the channel's id; `taskId`: who received it), at the receive. */
    | 'task-recv'
    /** A weft/par join() call (object: how many join calls enclose it on its thread, 0 for the outermost), at the call. */
    | 'par-join'
    /** A weft/par parallel iterator's terminal operation (object: the number of items it runs over), at the call. */
    | 'par-iter'
    /** One poll of a task (object: the task's id), recorded as it returned, at the await it stopped at (none: it ended); `poll` says where it began. Only with RunOptions.tracePolls. */
    | 'task-poll'
    /** An atomic's change inside weft/par work (object: the atomic's address), at the call; `atomic` says from what to what. */
    | 'par-atomic'
    /** A value sent on a weft/task oneshot channel (object: the sending task's id, 0 outside any task), at the send; `valueHash` when the value is a string, number, boolean or null. */
    | 'oneshot-send'
    /** An exported function of the program (not main) was entered, on this thread (object: its name's key, compile/call-entries.ts callKey). No line. */
    | 'call'
    /** A receive on a weft/sync mpsc channel found it closed (every Sender gone, nothing queued; object: the channel), at the receive. */
    | 'closed'
    /** A Thread's unpark() (object: the id of the thread it unparks), on the thread that called it, at its line. */
    | 'unpark'
    /** A weft/task sleep that had to wait (object: the task's id; `timer`: from when to its deadline, on the task clock). No line. */
    | 'task-timer'
    /** Under a seed, one piece of a parallel iterator's work (object: the par-iter event's seq; `piece`: its items and result). No line. */
    | 'par-piece'
    /** A RwLock read guard's release, when items of its array value were read (object: the lock; `items`: how many reads). No line. */
    | 'read-items';
  thread: string;
  threadId: number;
  object: number;
  time: number;
  line?: number;
  column?: number;
  /**
   * A task-exit's counters, as tokio-console shows them: how often the
   * executor polled the task, how often it was woken, the time spent in its
   * polls (µs; 0 under a seed, so a seed replays its trace exactly) and how
   * it ended. Its idle time is its lifetime (from its task-spawn) minus busy.
   */
  task?: { polls: number; wakes: number; busyMicros: number; outcome: 'ok' | 'panic' | 'cancelled'; timers?: number };
  /**
   * An `unlock`'s Mutex value as its holder left it, a `join`'s returned value, a `par-iter`'s result (what its sum,
   * reduce… returned): present when that value is a number.
   */
  value?: number;
  /**
   * A `join`'s value, or a `par-iter`'s result, when it was not a number but held numbers (an array, a plain object, a
   * Map): a Bloom filter of them
   * (runtime/trace.ts numbersFilterHas), so a check can ask whether a number came back inside it.
   */
  numbersFilter?: number[];
  /** A `read-items` event's count of items read through the guard. */
  items?: number;
  /** A `par-piece`'s items [lo, hi) and its result: `value` when a number, `size` (entries) when a collection, `numbers` in an array and its arrays. */
  piece?: { lo: number; hi: number; value?: number; size?: number; numbers?: number };
  /** A `task-timer`'s wait: the task clock when it began and its deadline, ms (virtual under a seed). */
  timer?: { fromMs: number; toMs: number };
  /** A `wake` from a timed wait that ran out of time (no notify, no unlock, no message woke it). */
  timedOut?: boolean;
  /** A weft/sync `send`'s channel capacity: -1 for an unbounded channel, 0 for a rendezvous one. */
  capacity?: number;
  /** A `oneshot-send`'s value, hashed (runtime/trace.ts valueHash), when it is a string, number, boolean or null. */
  valueHash?: number;
  /** A `par-atomic`'s change: the atomic's value before (absent for a store) and after, each when it is a number. */
  atomic?: { before?: number; after?: number };
  /** A `par-join`'s results: what its two closures returned (`a`, `b`), each present when it is a number. */
  results?: { a?: number; b?: number };
  /** Under a seed, how many pieces a `par-iter`'s work was cut into. */
  pieces?: number;
  /** Under a seed, the thread count of the pool a `par-iter` ran on, when the program built that pool. */
  poolThreads?: number;
  /** A par-join's halves' results that were arrays: their lengths. */
  lengths?: { a?: number; b?: number };
  /**
   * Under a seed, a par-join whose closures captured arrays of 16 to 4,096 numbers: how near to sorted the nearest of
   * them was (`score`, thousandths of its pairs out of order, counted from whichever order is nearer: 0 sorted ascending
   * or descending, about 500 shuffled) and its `length`.
   */
  handedOrder?: { score: number; length: number };
  /**
   * In a free run (never under a seed: only replayable numbers go in the trace), how long the work took, µs, on
   * whichever threads ran it: a `par-iter`'s pieces together (`total`) and its longest piece (`longest`); a
   * `par-join`'s closures (`a`, `b`). Checks use it to tell work the pool did from a result computed beforehand and
   * passed through the pool.
   */
  work?: { total: number; longest: number } | { a: number; b: number };
  /**
   * An `exit`'s, in a free run (never under a seed): how long the thread's closure ran, µs, from its first statement
   * to its return or its panic, time spent blocked included (TraceView.threadWork takes that out). Checks use it to tell
   * a thread that did its work from one that only handed back a result worked out before it was spawned.
   */
  ranMicros?: number;
  /** What a `block` waits on: 'mutex', 'condvar', 'channel-recv', 'join', 'sleep'... (runtime/wait.ts WaitKind). */
  waitKind?: string;
  /**
   * A task-spawn's or task-exit's reading of its executor's clock, ms (rounded): virtual while time is paused (every
   * seeded run), so a check can ask exactly how long a task took in virtual time ("100 ms, not 500").
   */
  clockMs?: number;
  /** A task-send's or task-recv's task (its id on its thread's executor; 0 outside any task). */
  taskId?: number;
  /** A task-poll's beginning: the `seq` the trace had reached and the trace's time then (its end is the event's own). */
  poll?: { fromSeq: number; from: number };
}
