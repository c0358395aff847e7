/**
 * How a run's end is told: the status, the one-line message and the last
 * events for what main's worker answered, the events for console lines and
 * panics taken from the output ring, and the outcome every run ends with.
 */
import type { RunEvent, RunOutcome, RunStatus } from './events.ts';
import type { RingLine } from './output-ring.ts';
import type { MainResult } from './protocol.ts';

/** What main's result means for the run: its status, its message, and the events that come last (main's panic, a task deadlock's report). */
export function mainEnd(result: MainResult, elapsed: string): { status: RunStatus; message: string; events: RunEvent[] } {
  if (result.status === 'ok') return { status: 'ok', message: `Finished in ${elapsed}.`, events: [] };
  // A result that says why not is a fault of weft's, told as such rather than crashing whoever reads it.
  const error = result.error ?? { name: 'Error', message: 'main ended without saying why (a fault of weft, not of the program: please report it)' };
  if (result.status === 'deadlock') {
    const errors = result.errors ?? [];
    return { status: 'deadlock', message: error.message, events: errors.map((error) => ({ kind: 'error', error })) };
  }
  return {
    status: result.status,
    message: result.status === 'compile-error' ? 'Did not compile.' : `main panicked after ${elapsed}.`,
    events: [
      {
        kind: 'error',
        error: {
          name: error.name,
          message: result.status === 'panic' ? `thread 'main' panicked: ${error.message}` : error.message,
          ...(error.location ? { location: error.location } : {}),
          ...(error.thread ? { thread: error.thread } : {}),
          ...(error.syntax ? { syntax: error.syntax } : {}),
        },
      },
    ],
  };
}

/** The outcome a run ends with; a failing seeded run says how to replay it. */
export function runOutcome(
  status: RunStatus,
  message: string,
  durationMs: number,
  seed: number | undefined,
  trace: NonNullable<RunOutcome['trace']> | undefined,
  value: unknown,
): RunOutcome {
  const seeded = seed !== undefined && status !== 'ok' && status !== 'stopped';
  return {
    status,
    durationMs,
    message: seeded ? `${message} (seed ${seed}: run it again with this seed to replay it)` : message,
    // The message without the seed note, for whoever tells outcomes apart (a grading, the list of schedules' outcomes).
    reason: message,
    ...(seed !== undefined ? { seed } : {}),
    ...(trace ? { trace } : {}),
    ...(value !== undefined ? { value } : {}),
  };
}

/** A console line, or a thread's panic, from the output ring as the run's event. */
export function lineEvent(line: RingLine): RunEvent {
  if (line.kind === 'output') return { kind: 'output', stream: line.stream, thread: line.thread, threadId: line.threadId, text: line.text, ...(line.at ? { at: line.at } : {}) };
  return {
    kind: 'error',
    error: {
      name: line.name,
      // The location travels separately: the page shows it as a link, the CLI as file:line:col.
      message: `thread '${line.thread}' panicked${line.task ? ` in ${line.task}` : ''}: ${line.message}`,
      ...(line.location ? { location: line.location } : {}),
      thread: line.thread,
    },
  };
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
