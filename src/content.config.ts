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
import { exercisesLoader } from './exercises/collection.ts';
import { DIFFICULTIES } from './exercises/format.ts';

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

/**
 * The exercises, one entry per folder of `exercises/` (format: src/exercises/format.ts),
 * with their Markdown rendered at build time (src/exercises/collection.ts).
 * What `<Exercise id>`, the progress page and the sidebar's counts show.
 */
const exercises = defineCollection({
  loader: exercisesLoader(),
  schema: z.object({
    /** The folder's slug, unique across the book: what `<Exercise id>` names and progress is stored under. */
    id: z.string(),
    title: z.string(),
    difficulty: z.enum(DIFFICULTIES),
    /** What the exercise practises, shown under its title. */
    concepts: z.array(z.string()),
    /** About how long it should take, in minutes, shown under its title. */
    timeBudgetMinutes: z.number(),
    /** The id of the chapter it belongs to (`threads`): where its progress is counted. */
    chapter: z.string(),
    /** Position in the whole book, 1-based: the progress page's order. */
    order: z.number(),
    /** README.md without its `# Title`, as HTML. */
    statementHtml: z.string(),
    /** starter.ts: what the editor starts with. */
    starter: z.string(),
    /** starter.ts highlighted, shown until the editor opens (and without JavaScript). */
    starterHtml: z.string(),
    /** solution.ts: loaded into the editor when the reader asks for it. */
    solution: z.string(),
    /** solution.ts highlighted, shown once the reader confirms they want to see it. */
    solutionHtml: z.string(),
    /** hints.md, one HTML fragment per hint, revealed in order. */
    hintsHtml: z.array(z.string()),
    /** The checks, in order, with the titles the results list shows before they run. */
    checks: z.array(z.object({ id: z.string(), title: z.string() })),
  }),
});

export const collections = { chapters, exercises };
