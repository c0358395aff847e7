/**
 * Astro integration: the book's full-text search index, built by Pagefind
 * (https://pagefind.app) from the finished pages, into `dist/pagefind/`.
 *
 * It runs in `astro:build:done`, before the offline integration hashes the
 * build, so the index is part of the service worker's precache and search
 * works offline after the first visit. Pagefind indexes what lies inside
 * `data-pagefind-body` (each chapter's article) and splits a page into
 * sections at headings that carry an id, so a result names its section.
 */
import { fileURLToPath } from 'node:url';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AstroIntegration } from 'astro';

export function search(): AstroIntegration {
  return {
    name: 'weft:search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        // Loaded here, not at the top: only a build needs Pagefind's binary.
        const pagefind = await import('pagefind');
        // `_` and `:` are part of what readers search for (`par_iter`, `mpsc::channel`).
        const { index, errors } = await pagefind.createIndex({ includeCharacters: '_' });
        if (!index) throw new Error(`search index: ${errors.join('; ')}`);
        const added = await index.addDirectory({ path: dist });
        if (added.errors.length > 0) throw new Error(`search index: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: join(dist, 'pagefind') });
        if (written.errors.length > 0) throw new Error(`search index: ${written.errors.join('; ')}`);
        await pagefind.close();
        // The book draws its own search dialog (src/components/search/): Pagefind's ready-made
        // interfaces would only add to what the service worker caches.
        const output = join(dist, 'pagefind');
        for (const name of readdirSync(output)) {
          if (/^pagefind-(ui|component-ui|modular-ui|highlight)\./.test(name)) rmSync(join(output, name));
        }
        logger.info(`search: ${added.page_count} pages indexed`);
      },
    },
  };
}
