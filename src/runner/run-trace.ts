/**
 * A run's trace as its outcome carries it (RunOutcome.trace): the raw
 * records of the ring (weft/runtime/trace.ts) read back once every worker
 * is gone, each with its thread's name and what its kind's data words mean.
 */
import type { RunOutcome } from './events.ts';
import type { RunMemory } from '../weft/runtime/memory.ts';
import { recordedPiece, channelCapacityOf, readTrace, recordedIterFilter, recordedAtomicChange, recordedValueHash, recordedNumbersFilter, recordedResults, recordedJoinLengths, recordedJoinOrder, recordedIterPieces, recordedIterPool, recordedValue, recordedWork, taskClockOf, TASK_OUTCOMES, timersOf } from '../weft/runtime/trace.ts';
import { WAIT_KINDS, WAKE_TIMED_OUT } from '../weft/runtime/wait.ts';
import { shownThreadName } from '../weft/runtime/thread-table.ts';

export function collectTrace(ring: SharedArrayBuffer, memory: RunMemory): NonNullable<RunOutcome['trace']> {
  const { events, dropped } = readTrace(ring);
  const names = new Map<number, string>();
  const label = (id: number) => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = shownThreadName(memory, id) ?? `thread ${id}`));
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
      ...(e.kind === 'exit' && e.data[0] === 1 ? { ranMicros: e.data[1]! } : {}),
      ...(e.kind === 'task-exit'
        ? { task: { polls: e.data[0]!, wakes: e.data[1]!, busyMicros: e.data[2]!, outcome: TASK_OUTCOMES[e.data[3]!] ?? 'ok', timers: timersOf(e.data) } }
        : {}),
      ...((e.kind === 'unlock' || e.kind === 'join' || e.kind === 'par-iter') && recordedValue(e.data) !== undefined ? { value: recordedValue(e.data)! } : {}),
      ...(e.kind === 'join' && recordedNumbersFilter(e.data) !== undefined ? { numbersFilter: recordedNumbersFilter(e.data)! } : {}),
      ...(e.kind === 'par-iter' && recordedIterFilter(e.data) !== undefined ? { numbersFilter: recordedIterFilter(e.data)! } : {}),
      ...(e.kind === 'par-iter' && recordedIterPieces(e.data) !== undefined ? { pieces: recordedIterPieces(e.data)! } : {}),
      ...(e.kind === 'par-iter' && recordedIterPool(e.data) !== undefined ? { poolThreads: recordedIterPool(e.data)! } : {}),
      ...(e.kind === 'send' && channelCapacityOf(e.data) !== undefined ? { capacity: channelCapacityOf(e.data)! } : {}),
      ...(e.kind === 'par-atomic' ? { atomic: recordedAtomicChange(e.data) } : {}),
      ...(e.kind === 'oneshot-send' && recordedValueHash(e.data) !== undefined ? { valueHash: recordedValueHash(e.data)! } : {}),
      ...(e.kind === 'par-join' && (e.data[0]! & 3) !== 0 ? { results: joinResults(e.data) } : {}),
      ...(e.kind === 'par-join' && (e.data[0]! & 48) !== 0 ? { lengths: joinLengths(e.data) } : {}),
      ...(e.kind === 'par-join' && recordedJoinOrder(e.data) !== undefined ? { handedOrder: recordedJoinOrder(e.data)! } : {}),
      ...(e.kind === 'par-iter' || e.kind === 'par-join' ? workOf(e.kind, e.data) : {}),
      ...(e.kind === 'wake' && e.data[0] === WAKE_TIMED_OUT ? { timedOut: true } : {}),
      ...(e.kind === 'block' && WAIT_KINDS[e.data[0]! - 1] !== undefined ? { waitKind: WAIT_KINDS[e.data[0]! - 1]! } : {}),
      ...(e.kind === 'task-spawn' || e.kind === 'task-exit' ? { clockMs: taskClockOf(e.data) } : {}),
      ...(e.kind === 'task-send' || e.kind === 'task-recv' ? { taskId: e.data[0]! } : {}),
      ...(e.kind === 'read-items' ? { items: e.data[0]! } : {}),
      ...(e.kind === 'par-piece' ? { piece: recordedPiece(e.data) } : {}),
      ...(e.kind === 'task-timer' ? { timer: { fromMs: e.data[0]!, toMs: e.data[1]! } } : {}),
      ...(e.kind === 'task-poll' ? { poll: { fromSeq: e.data[0]!, from: e.data[1]! } } : {}),
    })),
  };
}

/** A par-iter's or par-join's work, when it was timed (a free run). */
function workOf(kind: 'par-iter' | 'par-join', data: readonly number[]): { work?: { total: number; longest: number } | { a: number; b: number } } {
  const work = recordedWork(data);
  if (work === undefined) return {};
  return { work: kind === 'par-iter' ? { total: work.first, longest: work.second } : { a: work.first, b: work.second } };
}

/** A par-join's results, each when it was a number. */
function joinResults(data: readonly number[]): { a?: number; b?: number } {
  const [a, b] = recordedResults(data);
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
}

/** The lengths of a par-join's results that were arrays. */
function joinLengths(data: readonly number[]): { a?: number; b?: number } {
  const [a, b] = recordedJoinLengths(data);
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
}
