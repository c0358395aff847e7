/**
 * The `exercises` content collection (src/content.config.ts): every
 * exercise folder, read and validated by the catalog, with its Markdown
 * rendered to HTML at build time by the book's own Markdown pipeline
 * (Sätteri, with the chapters' Shiki themes), so a statement's ```ts block
 * is highlighted exactly like a chapter's.
 *
 * The page needs no file of the folder but checks.ts, which the page's
 * bundle loads per exercise (browser-checks.ts). Everything else reaches
 * the page through this collection: `<Exercise id>`, the progress page and
 * the sidebar's counts.
 */
import type { Loader } from 'astro/loaders';
import { defaultExercisesRoot, listExercises, type ExerciseInfo } from './catalog.ts';

/**
 * The statement as the exercise shows it: its leading `# Title` dropped
 * (the exercise's header shows exercise.json's title), and any further
 * heading pushed below the exercise's own `<h3>`, so the chapter's outline
 * stays whole.
 */
export function statementForPage(markdown: string): string {
  let fenced = false;
  let first = true;
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && first && /^#\s/.test(line)) {
      first = false;
      continue;
    }
    if (line.trim() !== '') first = false;
    const heading = fenced ? null : /^(#{1,6})(\s.*)$/.exec(line);
    lines.push(heading ? `${'#'.repeat(Math.min(6, heading[1]!.length + 2))}${heading[2]}` : line);
  }
  return lines.join('\n').trim();
}

/** A TypeScript file as a Markdown code block, so the pipeline highlights it. */
function codeBlock(source: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...source.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}ts\n${source.replace(/\n$/, '')}\n${fence}`;
}

export function exercisesLoader(root: string = defaultExercisesRoot()): Loader {
  return {
    name: 'weft:exercises',
    load: async ({ store, renderMarkdown, parseData, generateDigest, watcher, logger }) => {
      const html = async (markdown: string) => (await renderMarkdown(markdown)).html;
      const entry = async (e: ExerciseInfo) => ({
        id: e.id,
        title: e.title,
        difficulty: e.difficulty,
        concepts: e.concepts,
        timeBudgetMinutes: e.timeBudgetMinutes,
        chapter: e.chapter,
        order: e.order,
        statementHtml: await html(statementForPage(e.statement)),
        starter: e.starter,
        starterHtml: await html(codeBlock(e.starter)),
        solution: e.solution,
        solutionHtml: await html(codeBlock(e.solution)),
        hintsHtml: await Promise.all(e.hints.map(html)),
        checks: e.checks,
      });
      const load = async () => {
        const exercises = listExercises(root);
        // Shiki's first tokenization on a fresh highlighter compiles the TypeScript grammar and can run
        // past its per-line time limit, leaving the rest of that line uncoloured in one theme (seen on the
        // first statement's snippet: light-theme tokens all default). Spend that first call on a throwaway block.
        await html('```ts\nexport function warm(n: number): string { return `${n}`; } // grammar\n```');
        store.clear();
        for (const exercise of exercises) {
          const data = await parseData({ id: exercise.id, data: await entry(exercise) });
          store.set({ id: exercise.id, data, digest: generateDigest(data) });
        }
      };
      await load();
      // `astro dev`: an edited exercise shows on the next page load. A malformed one is logged, not fatal, while its author works on it.
      watcher?.add(root);
      watcher?.on('all', (_event, path) => {
        if (!path.startsWith(root)) return;
        load().catch((error: unknown) => logger.error(error instanceof Error ? error.message : String(error)));
      });
    },
  };
}
