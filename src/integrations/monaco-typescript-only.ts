/**
 * Vite plugin: Monaco with TypeScript (and JavaScript) only.
 *
 * `monaco-editor`'s entry registers some eighty languages and the CSS, HTML
 * and JSON language services, each with its own worker. The book edits
 * TypeScript, so every other language is replaced by an empty module: the
 * build drops ~2.3 MB of workers and ~80 lazy chunks that no reader could
 * ever load, and the offline cache (public/sw.js) stays small.
 *
 * Monaco's own TypeScript worker goes too: the page starts its own
 * (components/editor/ts.worker.ts, through MonacoEnvironment.getWorker in monaco-setup.ts,
 * which Monaco asks first), so the worker Monaco would start by URL is
 * never loaded, and bundling it would cost 6.9 MB of build and offline cache.
 */
import type { Plugin } from 'vite';

const KEEP = new Set(['typescript', 'javascript']);
const EMPTY = '\0weft-monaco-empty-language';
const TS_WORKER_MANAGER = /\/node_modules\/monaco-editor\/esm\/vs\/languages\/features\/typescript\/workerManager\.js$/;
const OWN_TS_WORKER = `new Worker(new URL('ts.worker.js', import.meta.url), { type: "module" })`;
const LANGUAGE_MODULE = /\/node_modules\/monaco-editor\/esm\/vs\/languages\/(definitions|features)\/([^/]+)\/register\.js$/;

export function monacoTypeScriptOnly(): Plugin {
  return {
    name: 'weft:monaco-typescript-only',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer?.includes('/node_modules/monaco-editor/') || !source.endsWith('/register.js')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const match = resolved && LANGUAGE_MODULE.exec(resolved.id);
      if (!match || KEEP.has(match[2]!)) return null;
      return EMPTY;
    },
    load(id) {
      return id === EMPTY ? 'export {};' : null;
    },
    transform(code, id) {
      if (!TS_WORKER_MANAGER.test(id)) return null;
      // A Monaco upgrade that changes this line fails the build here, rather than shipping two TypeScript workers.
      if (!code.includes(OWN_TS_WORKER)) this.error(`weft: Monaco's workerManager.js no longer starts its worker with ${OWN_TS_WORKER}; update monaco-typescript-only.ts`);
      return {
        code: code.replace(OWN_TS_WORKER, `(() => { throw new Error('weft: the TypeScript worker comes from MonacoEnvironment.getWorker (monaco-setup.ts)'); })()`),
        map: null,
      };
    },
  };
}
