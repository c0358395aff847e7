/**
 * The one place Monaco is configured, once per page (the TypeScript
 * Playground / Vue REPL habit): its workers, weft's types, the compiler
 * options the reader's code is checked with, and the global theme.
 * Importing this module loads Monaco; only monaco-editor.ts imports it.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';

// Monaco asks for a worker by label; Vite's `?worker` bundles each as a same-origin
// module worker, which cross-origin isolation (COEP) allows.
globalThis.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

const { typescript } = monaco;
const defaults = typescript.typescriptDefaults;

/**
 * Where weft's sources appear to the TypeScript service. An example's model
 * lives at file:///example-N.ts, so module resolution finds `weft/thread`
 * at /node_modules/weft/thread.ts, exactly as it would find an installed package.
 */
export const WEFT_TYPES_ROOT = 'file:///node_modules/weft/';

defaults.setCompilerOptions({
  target: 99, // ESNext: the runner's browsers run ES2024 and `using` natively (ARCHITECTURE.md, constraint 3)
  module: 99, // ESNext
  // Bundler (100): Monaco's enum predates it, its TypeScript 5.9 worker knows it.
  moduleResolution: 100 as monaco.typescript.ModuleResolutionKind, //: `weft/thread` -> node_modules/weft/thread.ts
  moduleDetection: 3, // Force: every example is its own module, so two examples' `main` never collide
  // Programmatic options name lib files, not the tsconfig short names. esnext includes
  // esnext.disposable, so `using` type-checks.
  lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true, // weft's own sources import './x.ts'
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  allowNonTsExtensions: true,
});
defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
// Check each example as soon as it exists, not only once it is edited.
defaults.setEagerModelSync(true);

/**
 * weft's real sources, as text, registered as extra libraries. Lazy globs: the
 * text is fetched only with Monaco, and whatever files exist are served
 * (the index files `thread.ts`, `sync.ts`, `task.ts`, `par.ts` are the entry points).
 */
const weftSources = import.meta.glob<string>(['../../weft/**/*.ts', '!../../weft/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
});

async function registerWeftTypes(): Promise<void> {
  const entries = Object.entries(weftSources);
  const texts = await Promise.all(entries.map(([, load]) => load()));
  entries.forEach(([path, _load], index) => {
    const relative = path.slice('../../weft/'.length);
    defaults.addExtraLib(texts[index] ?? '', `${WEFT_TYPES_ROOT}${relative}`);
  });
}

/** Resolves once weft's types are registered; editors may be created before that. */
export const weftTypesReady: Promise<void> = registerWeftTypes().catch((error: unknown) => {
  console.warn('weft: could not register weft types in the editor', error);
});

// Monaco's theme is global: one pair, chosen from <html data-theme> (set by ThemeScript/theme-select).
const codeFont = getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim();
monaco.editor.defineTheme('weft-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  // Line numbers at the site's muted text colour: 5.9:1 on the code background (Monaco's own grey fails 4.5:1).
  colors: { 'editor.background': '#f6f8fa', 'editorGutter.background': '#f6f8fa', 'editorLineNumber.foreground': '#57606a', 'editorLineNumber.activeForeground': '#1f2328' },
});
monaco.editor.defineTheme('weft-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#0f1116', 'editorGutter.background': '#0f1116', 'editorLineNumber.foreground': '#a2a9b4', 'editorLineNumber.activeForeground': '#e6e8eb' },
});

function currentTheme(): 'weft-light' | 'weft-dark' {
  const theme = document.documentElement.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  return theme === 'dark' ? 'weft-dark' : 'weft-light';
}
monaco.editor.setTheme(currentTheme());
new MutationObserver(() => monaco.editor.setTheme(currentTheme())).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['data-theme'],
});

export { monaco, codeFont };
