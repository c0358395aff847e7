/**
 * Grading on the page: the grader (grade.ts) with the exercise's checks from
 * the page's bundle (browser-checks.ts) and runs on the page's runner
 * (runner/browser-host.ts). The exercise layer sits above the runner: the
 * runner only runs programs, and knows nothing of checks.
 */
import { prewarm, startRun } from '../runner/browser-host.ts';
import { startGrading, type GradeEvent, type GradeHandle } from './grade.ts';
import { checksLoader } from './browser-checks.ts';

export type { CheckResult, GradeEvent, GradeHandle, GradeResult } from './grade.ts';
export { prewarm, startRun };

/**
 * Grades the learner's source against an exercise's checks (grade.ts):
 * events arrive in order and end with `end`. The checks run here, on the
 * page's thread, and only start runs; the learner's code runs in workers.
 * A failing check's `seed` replays with `startRun(source, { seed }, onEvent)`.
 */
export function startGrade(exerciseId: string, source: string, onEvent: (event: GradeEvent) => void, starter?: string): GradeHandle {
  return startGrading(exerciseId, checksLoader(exerciseId), source, { startRun }, onEvent, starter === undefined ? {} : { starter });
}
