/**
 * The tests of one chapter's exercises (tests/unit/exercises/grading/*.test.ts, one
 * file a chapter, so that a test runner with more cores grades several at once):
 * every exercise is graded by the same grader as the page and the CLI: the
 * solution and each alternative pass every check, the starter fails, and
 * each wrong answer fails on the check it names. A failure with a seed
 * replays: the same seed, run as the page's Replay runs it, prints the same
 * lines (tried once per check, by the first wrong answer that names it).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listExercises } from '../../../src/exercises/catalog.ts';
import { validateChecks } from '../../../src/exercises/grade.ts';
import { gradeExercise, summary } from './grade-exercise.ts';
import { runProgram } from './run-program.ts';

/** Grading runs a program many times on real threads: minutes, not seconds, on a loaded 2-core machine. */
const GRADING = 240_000;

/** Defines the tests of every exercise of chapter folder `chapterDir` (e.g. "01-threads"); fails when it has none. */
export function chapterExerciseTests(chapterDir: string): void {
  const exercises = listExercises().filter((e) => e.dir.split(/[\\/]/).includes(chapterDir));
  it(`${chapterDir} has exercises`, () => {
    expect(exercises.length).toBeGreaterThan(0);
  });
  describe.each(exercises)('exercise $id', (exercise) => {
    it('checks.ts exports the checks the catalog read from it, in order', async () => {
      const loaded = validateChecks(exercise.id, await import(pathToFileURL(join(exercise.dir, 'checks.ts')).href));
      expect(loaded.map((c) => ({ id: c.id, title: c.title }))).toEqual(exercise.checks);
    });

    it('the solution passes every check', { timeout: GRADING }, async () => {
      const { result } = await gradeExercise(exercise.id, exercise.solution);
      expect(summary(result)).toEqual(exercise.checkIds.map((id) => `${id}: passed`));
      expect(result.passed).toBe(true);
    });

    for (const alternative of exercise.alternatives) {
      it(`alternatives/${alternative.name} (a correct solution written another way) passes every check`, { timeout: GRADING }, async () => {
        const { result } = await gradeExercise(exercise.id, alternative.source);
        expect(summary(result)).toEqual(exercise.checkIds.map((id) => `${id}: passed`));
      });
    }

    it('the starter fails', { timeout: GRADING }, async () => {
      // One failing check is the answer: the checks after it are not run.
      const { result } = await gradeExercise(exercise.id, exercise.starter, undefined, true);
      expect(result.passed).toBe(false);
      expect(result.checks.filter((c) => c.status === 'failed').length, summary(result).join('\n')).toBeGreaterThan(0);
    });

    /** Each check's replay is tried once, by the first wrong answer that names it (a replay is a whole run more). */
    const replaying = new Set<string>();
    for (const wrong of exercise.wrong) {
      const replays = !replaying.has(wrong.fails);
      replaying.add(wrong.fails);
      it(`wrong/${wrong.name} fails on ${wrong.fails}${replays ? ', and a failing seed replays' : ''}`, { timeout: GRADING }, async () => {
        const graded = await gradeExercise(exercise.id, wrong.source, [wrong.fails]);
        const [result] = graded.result.checks;
        expect(result!.status, summary(graded.result).join('\n')).toBe('failed');
        expect(result!.message).toBeTruthy();
        // The seed is named once, by the grader (the runner's own "run it again with this seed" note is left out).
        expect(result!.message).not.toMatch(/run it again with this seed/);
        if (result!.seed !== undefined) expect(result!.replayCue).toBe(` — replay seed ${result!.seed}`);
        if (result!.seed !== undefined && replays) {
          // A failing call of an exported function replays as that call (the page's Replay and the CLI's --call do the same),
          // and a run that ran out of time replays with its time limit, as the page's Replay and the CLI's --timeout do.
          const replay = await runProgram(wrong.source, {
            seed: result!.seed,
            ...(result!.call ? { call: result!.call } : {}),
            ...(result!.timeoutMs !== undefined ? { timeoutMs: result!.timeoutMs } : {}),
          });
          expect(replay.lines).toEqual(graded.linesOf(result!.id, result!.seed));
          if (/deadlocked/.test(result!.message!)) expect(replay.outcome.status).toBe('deadlock');
          if (result!.timeoutMs !== undefined) expect(replay.outcome.status).toBe('timeout');
        }
      });
    }
  });
}
