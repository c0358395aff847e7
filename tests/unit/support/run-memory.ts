/**
 * Tests that run weft primitives in this process, not in a run's workers:
 * this process becomes thread 1 of a fresh run, on a run memory of its own,
 * whose heap's high-water mark (the allocator's bump pointer) a test can read.
 */
import { enterThread, type ThreadContext } from '../../../src/weft/runtime/context.ts';
import { RunMemory } from '../../../src/weft/runtime/memory.ts';

/** This process as thread 1 of a fresh run; returns its memory. */
export function enterRun(): RunMemory {
  const memory = RunMemory.create();
  const ctx: ThreadContext = {
    memory,
    threadId: 1,
    name: 'main',
    host: { spawn() {}, output() {}, panic() {} },
    locate: () => undefined,
    owned: new Set(),
    guards: [],
  };
  enterThread(ctx);
  return memory;
}
