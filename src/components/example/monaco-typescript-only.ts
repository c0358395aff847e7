/**
 * Vite plugin: Monaco with TypeScript (and JavaScript) only.
 *
 * `monaco-editor`'s entry registers some eighty languages and the CSS, HTML
 * and JSON language services, each with its own worker. The book edits
 * TypeScript, so every other language is replaced by an empty module: the
 * build drops ~2.3 MB of workers and ~80 lazy chunks that no reader could
 * ever load, and the offline cache (public/sw.js) stays small.
 */
import type { Plugin } from 'vite';

const KEEP = new Set(['typescript', 'javascript']);
const EMPTY = '\0weft-monaco-empty-language';
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
  };
}
