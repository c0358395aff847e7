/**
 * The book's content: one collection, `chapters`, over `content/*.mdx`.
 *
 * A chapter's file name gives both its place and its address: `01-threads.mdx`
 * is served at `/threads/`. The numeric prefix keeps files sorted on disk (the
 * TutorialKit habit); the `order` field is what the site sorts by, so a
 * chapter can move without renaming its file and breaking links.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { chapterSlug } from './components/book/chapter-slug.ts';

const chapters = defineCollection({
  loader: glob({
    pattern: '*.mdx',
    base: './content',
    // The entry id is the chapter's URL slug: `01-threads.mdx` -> `threads`.
    generateId: ({ entry }) => chapterSlug(entry),
  }),
  schema: z.object({
    /** The chapter's title: the page's `<h1>`, its `<title>`, and its name in the sidebar. */
    title: z.string().min(1),
    /** Position in the book (ascending). Drives the sidebar, the index and previous/next links. */
    order: z.number(),
    /** One or two sentences on what the chapter teaches: shown on the index page and as the meta description. */
    summary: z.string().min(1),
  }),
});

export const collections = { chapters };
