/**
 * join-results' "the threads do the adding" check measures how long each
 * thread worked. A program that never joins its threads (the starter) ends
 * before they have added anything, and a run's end stops them: that says
 * nothing about who did the adding. The check told such a program "the sums
 * were worked out before the threads, not by them. Move the adding into the
 * closure you spawn", to a starter whose closures already add; the join
 * check is the one that explains it.
 */
import { expect, it } from 'vitest';
import { getExercise } from '../../../src/exercises/catalog.ts';
import { gradeExercise, summary } from '../support/grade-exercise.ts';

it("a program that never joins its threads is not told its sums were worked out before the threads", { timeout: 240_000 }, async () => {
  const { starter } = getExercise('join-results');
  const { result } = await gradeExercise('join-results', starter, ['threads-do-the-adding', 'sums-come-through-join']);
  const byId = new Map(result.checks.map((c) => [c.id, c]));
  expect(byId.get('sums-come-through-join')!.status, summary(result).join('\n')).toBe('failed');
  const adding = byId.get('threads-do-the-adding')!;
  expect(adding.message ?? '', summary(result).join('\n')).not.toMatch(/worked out before the threads/);
});
