import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const imports = 'import { Barrier, AtomicU32 } from "weft/sync";';

describe('weft/sync Barrier', () => {
  it('5 threads over 3 phases: one leader per phase, and nobody passes a phase before all arrive', async () => {
    const threads = 5;
    const phases = 3;
    const run = await runProgram(
      program(
        `
  const THREADS = ${threads}, PHASES = ${phases};
  const counters = () => Array.from({ length: PHASES }, () => new AtomicU32(0));
  const shared = new Arc({ barrier: new Barrier(THREADS), arrived: counters(), leaders: counters(), early: new AtomicU32(0) });
  const handles = [];
  for (let t = 0; t < THREADS; t++) {
    const s = shared.clone();
    handles.push(spawn(() => {
      for (let p = 0; p < PHASES; p++) {
        s.arrived[p].fetchAdd(1);
        const result = s.barrier.wait();
        // Everyone must have arrived at phase p before anyone is let through it.
        if (s.arrived[p].load() !== THREADS) s.early.fetchAdd(1);
        if (result.isLeader()) s.leaders[p].fetchAdd(1);
      }
    }));
  }
  for (const h of handles) h.join();
  for (let p = 0; p < PHASES; p++) {
    console.log("phase", p, "arrived", shared.arrived[p].load(), "leaders", shared.leaders[p].load());
  }
  console.log("passed early:", shared.early.load());`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([
      ...Array.from({ length: phases }, (_, p) => `phase ${p} arrived ${threads} leaders 1`),
      'passed early: 0',
    ]);
  });

  it('main can take part; a barrier of 1 never blocks and always leads', async () => {
    const run = await runProgram(
      program(
        `
  const b = new Arc(new Barrier(2));
  const b2 = b.clone();
  const h = spawn(() => [b2.wait().isLeader(), b2.wait().isLeader()]);
  const mine = [b.wait().isLeader(), b.wait().isLeader()];
  const theirs = h.join();
  console.log("one leader per phase:", mine[0] !== theirs[0], mine[1] !== theirs[1]);
  const solo = new Barrier(1);
  console.log(solo.wait().isLeader(), solo.wait().isLeader());`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['one leader per phase: true true', 'true true']);
  });
});
