/** The chapters in reading order, with their neighbours: what the sidebar, index and pager need. */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** Every chapter, sorted by `order` (then by slug, so ties are stable). */
export async function getChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  return chapters.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

/** The site-relative URL of a chapter, honouring Astro's `base`. */
export function chapterHref(chapter: Chapter): string {
  return `${import.meta.env.BASE_URL.replace(/\/$/, '')}/${chapter.id}/`;
}
