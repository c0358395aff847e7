// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { runnableExamplesHast, runnableExamplesMdast } from './src/markdown/runnable-examples.ts';
import { expectedOutputHast, expectedOutputMdast } from './src/markdown/expected-output.ts';
import { monacoCssOnDemand } from './src/integrations/monaco-css-on-demand.ts';
import { monacoTypeScriptOnly } from './src/integrations/monaco-typescript-only.ts';
import { weftDeclarations } from './src/integrations/weft-declarations.ts';
import { offline } from './src/integrations/offline.ts';
import { exercises } from './src/integrations/exercises.ts';
import { search } from './src/integrations/search.ts';

// SharedArrayBuffer (and so every blocking weft call) needs a cross-origin
// isolated page: COOP same-origin + COEP require-corp. ARCHITECTURE.md, constraint 2.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  // exercises(): a malformed exercise folder fails the build, naming the file and field (src/exercises/format.ts).
  // search() before offline(): the index is written first, then cached with the rest of the book.
  integrations: [mdx(), search(), offline(), exercises()],
  markdown: {
    // Sätteri is Astro 7's Markdown/MDX compiler; its plugins are our remark/rehype.
    processor: satteri({
      mdastPlugins: [runnableExamplesMdast, expectedOutputMdast],
      hastPlugins: [runnableExamplesHast, expectedOutputHast],
    }),
    shikiConfig: {
      // Both themes ship as CSS variables (--shiki-light / --shiki-dark);
      // src/styles/code.css picks one from the page's theme.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      transformers: [
        {
          // github-light-default's comment grey (#6e7781) is 4.27:1 on the code
          // background, under WCAG AA's 4.5:1; Primer's next grey is 5.9:1.
          name: 'weft:aa-contrast-comments',
          span(node) {
            const style = node.properties.style;
            if (typeof style === 'string') node.properties.style = style.replace(/--shiki-light:#6e7781/i, '--shiki-light:#57606a');
          },
        },
      ],
    },
  },
  server: { port: 4321, headers: isolationHeaders },
  vite: {
    // Monaco's CSS loads with Monaco, not with every chapter (see the plugin's header).
    // weftDeclarations(): the editor's weft types, emitted from src/weft (src/integrations/weft-declarations.ts).
    plugins: [monacoCssOnDemand(), monacoTypeScriptOnly(), weftDeclarations()],
    server: { headers: isolationHeaders },
    preview: { headers: isolationHeaders },
    // Class names kept: weft's messages and console.log name a value by its class ("`guard` is an instance of class
    // MutexGuard", "JoinHandle { .. }"); minified, the run's worker said "class e". Only classes: keeping every
    // function's name as well (output.keepNames) cost the program and compile workers 8.9 kB gzip. A class whose name
    // another of weft's classes has comes out as `Receiver$4`: runtime/context.ts className drops the suffix.
    worker: {
      format: 'es',
      rolldownOptions: {
        output: { minify: { compress: { keepNames: { function: false, class: true } }, mangle: { keepNames: { function: false, class: true } } } },
      },
    },
    // The dev server pre-bundles dependencies it discovers. Ours are imported
    // lazily (Monaco on first edit, the compiler inside the runner worker), so
    // without this list they are discovered mid-run: Vite re-bundles, answers
    // "504 Outdated Optimize Dep" to the running page, and the run dies.
    optimizeDeps: {
      include: ['monaco-editor', 'sucrase', 'acorn', 'magic-string', '@jridgewell/trace-mapping'],
    },
  },
});
