/**
 * The schedules a behaviour that must hold "under every schedule" is
 * tested with: free-running, seeded random, and seeded PCT.
 */
import type { RunOptions } from '../../../src/runner/events.ts';

export interface Schedule {
  label: string;
  options: RunOptions;
}

/** Free-running, then `seeds` seeded runs: random schedules first, the last `pct` of them PCT. */
export function schedules(seeds: number[], pct = 1): Schedule[] {
  return [
    { label: 'free-running', options: {} },
    ...seeds.map((seed, i) =>
      i >= seeds.length - pct ? { label: `seed ${seed} (pct)`, options: { seed, schedule: 'pct' as const } } : { label: `seed ${seed}`, options: { seed } },
    ),
  ];
}
