/**
 * Grades a source as an exercise the way the CLI and the page do (node-grade.ts),
 * on the tests' shared supervisor, and keeps every event.
 */
import { startGrade, type GradeEvent, type GradeResult } from '../../../src/exercises/node-grade.ts';
import { supervisorForTests } from './run-program.ts';

export interface Graded {
  result: GradeResult;
  events: GradeEvent[];
  /** The console lines a check's run under `seed` printed, as the grader forwarded them. */
  linesOf(check: string, seed: number | undefined): string[];
}

export async function gradeExercise(id: string, source: string, only?: string[], untilFailure = false): Promise<Graded> {
  const events: GradeEvent[] = [];
  const handle = startGrade(id, source, (event) => events.push(event), {
    supervisor: supervisorForTests(),
    ...(only ? { only } : {}),
    untilFailure,
  });
  const result = await handle.done;
  return {
    result,
    events,
    linesOf: (check, seed) =>
      events.flatMap((e) => (e.kind === 'output' && e.check === check && e.seed === seed ? [e.text] : [])),
  };
}

/** "check-id: status: message" for each check, for readable assertion failures. */
export function summary(result: GradeResult): string[] {
  return result.checks.map((c) => `${c.id}: ${c.status}${c.message ? `: ${c.message}${c.replayCue ?? ''}` : ''}`);
}
