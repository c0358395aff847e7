/**
 * The book's exercises as a whole. Each chapter's exercises are graded in
 * tests/unit/exercises/grading/NN-chapter.test.ts (support/exercise-suite.ts): one
 * file a chapter, so a machine with more cores grades several at once.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listExercises } from '../../../src/exercises/catalog.ts';

const exercises = listExercises();

it('exercise ids are unique across the book', () => {
  expect(new Set(exercises.map((e) => e.id)).size).toBe(exercises.length);
});

it('the book has at least forty exercises', () => {
  expect(exercises.length).toBeGreaterThanOrEqual(40);
});

it('every chapter folder of exercises has its test file, and every test file its chapter', () => {
  const root = join(import.meta.dirname, '../../..');
  const chapters = readdirSync(join(root, 'exercises'), { withFileTypes: true }).filter((d) => d.isDirectory() && /^\d\d-/.test(d.name)).map((d) => d.name);
  const files = readdirSync(join(import.meta.dirname, 'grading')).filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, ''));
  expect(files.sort()).toEqual(chapters.sort());
});

it('every chapter of the book has at least three exercises, in its own folder', () => {
  const root = join(import.meta.dirname, '../../..');
  const chapters = readdirSync(join(root, 'content')).filter((f) => /^\d\d-.*\.mdx$/.test(f)).map((f) => f.replace(/\.mdx$/, ''));
  expect(chapters.length).toBeGreaterThanOrEqual(10);
  const counts = Object.fromEntries(chapters.map((c) => [c, exercises.filter((e) => e.dir.split(/[\\/]/).includes(c)).length]));
  expect(Object.entries(counts).filter(([, n]) => n < 3)).toEqual([]);
});

it('every exercise has at least three hints, three wrong answers and two alternative solutions', () => {
  const short = exercises
    .map((e) => ({ id: e.id, hints: e.hints.length, wrong: e.wrong.length, alternatives: e.alternatives.length }))
    .filter((e) => e.hints < 3 || e.wrong < 3 || e.alternatives < 2);
  expect(short).toEqual([]);
});
