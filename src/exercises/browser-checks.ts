/**
 * The exercises' checks in the page's bundle: every
 * `exercises/NN-chapter/NN-slug/checks.ts`, compiled by Vite like any module
 * of the site, each in its own chunk that loads only when that exercise is
 * graded. Nothing else of an exercise folder is needed to grade: the
 * checks carry their ids and titles, and the learner's source comes from
 * the editor.
 */
import { exerciseIdOfPath } from './ids.ts';

const modules = import.meta.glob('/exercises/*/*/checks.ts');

/** A loader of the exercise's checks module; it rejects when the build has no such exercise. */
export function checksLoader(exerciseId: string): () => Promise<unknown> {
  const path = Object.keys(modules).find((p) => exerciseIdOfPath(p) === exerciseId);
  if (path === undefined) return () => Promise.reject(new Error(`this build of the book has no exercise '${exerciseId}'`));
  return modules[path]!;
}
