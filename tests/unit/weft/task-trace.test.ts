/**
 * weft/task's tasks in the run's trace (what tokio-console shows): each
 * task's spawn and exit, with how often it was polled and woken, its busy
 * and idle time and the line it last awaited at (src/weft/task/runtime.ts,
 * src/weft/runtime/trace.ts, TraceView.tasks()).
 */
import { describe, expect, it } from 'vitest';
import { TraceView } from '../../../src/exercises/trace-view.ts';
import { lineOf, runProgram } from '../support/run-program.ts';

const IMPORTS = `import { spawn, sleep, time, mpsc } from "weft/task";\n`;

describe('the trace counts each task\'s polls, wakes and busy time (what tokio-console shows)', () => {
  const SOURCE = `${IMPORTS}
async function main() {
  time.pause();
  const [tx, rx] = mpsc.unboundedChannel<number>();
  const producer = spawn(async () => {
    for (let i = 0; i < 3; i++) { await sleep(10); tx.send(i); }
  });
  const idle = spawn(async () => { await sleep(1000); });
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log(msg);
  idle.abort();
  await producer;
}`;

  it('records task-spawn and task-exit with counters, which TraceView.tasks() sums up', async () => {
    const result = await runProgram(SOURCE, { trace: true });
    expect(result.errors).toEqual([]);
    const tasks = new TraceView(result.outcome.trace).tasks();
    expect(tasks.map((t) => [t.id, t.outcome, t.spawnLine])).toEqual([
      [1, 'ok', undefined],
      [2, 'ok', lineOf(SOURCE, 'const producer = spawn')],
      [3, 'cancelled', lineOf(SOURCE, 'const idle = spawn')],
    ]);
    const [main, producer, idle] = tasks;
    // The producer: a first poll, then one poll per sleep that ended; each of those polls came from a wake.
    expect(producer!.polls).toBe(4);
    expect(producer!.wakes).toBe(3);
    expect(producer!.awaitLine).toBe(lineOf(SOURCE, 'await sleep(10)'));
    expect(idle!.polls).toBe(1);
    expect(idle!.awaitLine).toBe(lineOf(SOURCE, 'await sleep(1000)'));
    expect(main!.polls).toBeGreaterThanOrEqual(4);
    for (const task of tasks) {
      expect(task.busyMicros).toBeGreaterThanOrEqual(0);
      expect(task.idleMicros).toBe(Math.max(0, task.lifetimeMicros - task.busyMicros));
    }
  });

  it('under a seed, the task events replay exactly (busy time is left out)', async () => {
    const a = await runProgram(SOURCE, { trace: true, seed: 7 });
    const b = await runProgram(SOURCE, { trace: true, seed: 7 });
    const tasks = (run: typeof a) => run.outcome.trace!.events.filter((e) => e.kind.startsWith('task-'));
    expect(tasks(a).length).toBe(6);
    expect(tasks(a)).toEqual(tasks(b));
    expect(tasks(a).every((e) => e.task === undefined || e.task.busyMicros === 0)).toBe(true);
  });
});
