/**
 * Grading in Node (the CLI and the tests): the same grader as the page
 * (grade.ts), with the exercise's checks.ts imported from its folder and
 * runs on worker_threads.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getExercise } from './catalog.ts';
import { createNodeSupervisor } from '../runner/node-host.ts';
import { startGrading, type GradeEvent, type GradeHandle, type GradeOptions, type RunStarter } from './grade.ts';
import type { Supervisor } from '../runner/supervisor.ts';

export type { CheckResult, GradeEvent, GradeHandle, GradeResult } from './grade.ts';

export interface NodeGradeOptions extends GradeOptions {
  /** The `exercises/` folder (default: the repository's). */
  root?: string;
  /** Runs go to this supervisor (the tests share one); by default a fresh one, disposed when grading ends. */
  supervisor?: Supervisor | RunStarter;
}

/** Grades `source` as the exercise `exerciseId`; throws at once when there is no such exercise. */
export function startGrade(exerciseId: string, source: string, onEvent: (event: GradeEvent) => void, options: NodeGradeOptions = {}): GradeHandle {
  const exercise = getExercise(exerciseId, options.root);
  const own = options.supervisor === undefined ? createNodeSupervisor(4) : undefined;
  const runner = options.supervisor ?? own!;
  const load = () => import(pathToFileURL(join(exercise.dir, 'checks.ts')).href);
  const handle = startGrading(exercise.id, load, source, runner, onEvent, { starter: exercise.starter, ...options });
  if (own) void handle.done.finally(() => own.dispose());
  return handle;
}
