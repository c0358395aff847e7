/** The book's exercises grouped by the chapter they belong to (exercise.json's `chapter`, else the folder's), in book order. */
import { getCollection, type CollectionEntry } from 'astro:content';

export type ExerciseEntry = CollectionEntry<'exercises'>;

export async function exercisesByChapter(): Promise<Map<string, ExerciseEntry[]>> {
  const exercises = (await getCollection('exercises')).sort((a, b) => a.data.order - b.data.order);
  const byChapter = new Map<string, ExerciseEntry[]>();
  for (const exercise of exercises) {
    const list = byChapter.get(exercise.data.chapter) ?? [];
    list.push(exercise);
    byChapter.set(exercise.data.chapter, list);
  }
  return byChapter;
}
