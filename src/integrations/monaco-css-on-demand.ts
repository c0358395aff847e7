/**
 * Vite plugin: Monaco's stylesheets arrive with Monaco, not with the page.
 *
 * Monaco's ESM modules `import './x.css'`. Astro links every stylesheet in a
 * page script's module graph, dynamic imports included
 * (https://github.com/withastro/astro/issues/9495), so ~175 kB of editor CSS
 * would load on every chapter before anyone clicks Edit. This plugin turns
 * each of those imports into a tiny module that injects the CSS (imported
 * `?inline`, so Vite still rewrites its font URLs) when Monaco itself loads.
 */
import type { Plugin } from 'vite';

const PREFIX = '\0weft-monaco-css:';
/** The virtual id must not end in `.css`, or Vite would treat the module as a stylesheet. */
const SUFFIX = '.inject.js';

export function monacoCssOnDemand(): Plugin {
  return {
    name: 'weft:monaco-css-on-demand',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer?.includes('/node_modules/monaco-editor/') || !/\.css$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved ? PREFIX + resolved.id + SUFFIX : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -SUFFIX.length);
      return [
        `import css from ${JSON.stringify(`${file}?inline`)};`,
        `const style = document.createElement('style');`,
        `style.dataset.monaco = ${JSON.stringify(file.replace(/^.*\/monaco-editor\//, ''))};`,
        `style.textContent = css;`,
        `document.head.append(style);`,
      ].join('\n');
    },
  };
}
