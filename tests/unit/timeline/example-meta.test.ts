// ```ts run explore```: the fence flag that makes Run under 20 schedules an example's main action,
// and how a run's ending reads in the list of outcomes.
import { describe, expect, it } from 'vitest';
import { parseExampleMeta } from '../../../src/markdown/runnable-examples.ts';
import { outcomeLabel } from '../../../src/components/timeline/example-timeline.ts';

describe('the explore flag', () => {
  it('is read among the other words of a runnable fence', () => {
    expect(parseExampleMeta('ts', 'run explore')).toEqual({ explore: true });
    expect(parseExampleMeta('ts', 'run timeout=5000 explore')).toEqual({ timeoutMs: 5000, explore: true });
    expect(parseExampleMeta('ts', 'run')).toEqual({});
    // Not a runnable example without `run`.
    expect(parseExampleMeta('ts', 'explore')).toBeNull();
  });
});

describe('outcome labels', () => {
  it('tell runs apart by what they printed, or how they ended, never by their seed', () => {
    const ok = { status: 'ok', durationMs: 3, message: 'Finished in 3 ms', reason: 'Finished in 3 ms' } as const;
    expect(outcomeLabel(['Total: 3'], ok)).toBe('Total: 3');
    expect(outcomeLabel([], ok)).toBe('(printed nothing)');
    const deadlock = (seed: number) => ({ status: 'deadlock', durationMs: 3, seed, message: `Deadlock: 'main' waits for thread 2. (seed ${seed}: run it again with this seed to replay it)`, reason: "Deadlock: 'main' waits for thread 2." }) as const;
    expect(outcomeLabel(['both hold'], deadlock(3))).toBe('both hold\n… then deadlock');
    const panic = (seed: number) => ({ status: 'panic', durationMs: 3, seed, message: `main panicked: boom (seed ${seed}: run it again with this seed to replay it)`, reason: 'main panicked: boom' }) as const;
    expect(outcomeLabel([], panic(1))).toBe(outcomeLabel([], panic(7)));
    expect(outcomeLabel([], panic(7))).toBe('… then panic: main panicked: boom');
  });
});
