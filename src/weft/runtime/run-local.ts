/**
 * State that belongs to one run in one worker: a module variable that a
 * fresh worker would start with its initial value (the running task, a
 * counter that numbers channels for the trace, the par registry this worker
 * serves…). A worker may serve several runs of one program (the supervisor
 * keeps the workers of a run that ended at rest: runner/worker-pool.ts),
 * and each run must start as it would in a fresh worker, or a seed would
 * not replay the same trace. Each such variable registers how to reset it;
 * the worker resets them all before it takes its next run.
 *
 * Like Rust's `thread_local!`: one value per weft thread's worker, and here
 * also per run.
 */
const resets: (() => void)[] = [];

/** Registers `reset`, which puts one module's run-local state back as a fresh worker has it. */
export function runLocal(reset: () => void): void {
  resets.push(reset);
}

/** Puts every run-local variable back as a fresh worker has it (the worker, before each run it takes). */
export function resetRunLocals(): void {
  for (const reset of resets) reset();
}
