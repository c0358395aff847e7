/**
 * Astro integration: writes the service worker (src/offline/service-worker.js)
 * into the build with the list of files to cache on install and a version
 * that changes whenever any of them does.
 *
 * Precached: every page and every asset except the editor's (Monaco's
 * bundle, its workers, its font: about 12 MB), which the page asks the
 * service worker to cache in the background once the first visit has
 * loaded (and which are cached anyway when first used). A reader who opened
 * the book once can read it, run its examples, edit and solve exercises
 * offline.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Assets that belong to the editor: loaded only when a reader edits or runs, cached then. */
const EDITOR_ASSET = /^_astro\/(monaco-editor|editor\.worker|ts\.worker|tsMode|codicon|lspLanguageFeatures)[.-]/;
const SERVICE_WORKER = 'sw.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The editor's assets (Monaco, its workers, its font), as paths relative to the site's base: cached in the background after the first visit. */
export function editorAssets(dist: string): string[] {
  return filesUnder(dist)
    .map((file) => relative(dist, file).split(sep).join('/'))
    .filter((path) => EDITOR_ASSET.test(path) && !path.endsWith('.map'))
    .sort();
}

/** What the service worker caches on install, as paths relative to the site's base. */
export function precacheList(dist: string): string[] {
  const paths = filesUnder(dist)
    .map((file) => relative(dist, file).split(sep).join('/'))
    .filter((path) => path !== SERVICE_WORKER && !EDITOR_ASSET.test(path) && !path.endsWith('.map'));
  // Pages are requested as /threads/, not /threads/index.html.
  return paths.map((path) => (path === 'index.html' ? '' : path.replace(/(^|\/)index\.html$/, '$1'))).sort();
}

export function offline(): AstroIntegration {
  return {
    name: 'weft:offline',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const precache = precacheList(dist);
        const hash = createHash('sha256');
        for (const file of filesUnder(dist).sort()) {
          if (file.endsWith(SERVICE_WORKER)) continue;
          hash.update(relative(dist, file)).update(readFileSync(file));
        }
        const version = hash.digest('hex').slice(0, 12);
        const source = readFileSync(new URL('../offline/service-worker.js', import.meta.url), 'utf8');
        const editor = editorAssets(dist);
        const editorBytes = editor.reduce((sum, path) => sum + statSync(join(dist, path)).size, 0);
        const build = JSON.stringify({ version, precache, editor });
        writeFileSync(join(dist, SERVICE_WORKER), `self.__WEFT_BUILD__ = ${build};\n${source}`);
        logger.info(
          `service worker ${version}: ${precache.length} files cached on install; the editor's ${editor.length} files ` +
            `(${(editorBytes / 1e6).toFixed(1)} MB) cached in the background after the first visit`,
        );
      },
    },
  };
}
