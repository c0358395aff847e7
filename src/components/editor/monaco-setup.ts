/**
 * The one place Monaco is configured, once per page (the TypeScript
 * Playground / Vue REPL habit): its workers, weft's types, the compiler
 * options the reader's code is checked with, and the global theme.
 * Importing this module loads Monaco; only monaco-editor.ts imports it.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TypeScriptWorker from './ts.worker.ts?worker';
import weftDeclarations from 'virtual:weft-declarations';
import { EDITOR_COMPILER_OPTIONS, WEFT_TYPES_ROOT } from './editor-typescript.ts';

// Monaco asks for a worker by label; Vite's `?worker` bundles each as a same-origin
// module worker, which cross-origin isolation (COEP) allows.
globalThis.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

const { typescript } = monaco;
const defaults = typescript.typescriptDefaults;

// The reader's code is checked as editor-typescript.ts says, which the unit tests check every example with.
defaults.setCompilerOptions(EDITOR_COMPILER_OPTIONS as unknown as monaco.typescript.CompilerOptions);
defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
// Check each example as soon as it exists, not only once it is edited.
defaults.setEagerModelSync(true);

/**
 * weft's declarations (src/integrations/weft-declarations.ts: emitted from src/weft at build
 * time, public members only), registered as extra libraries before any
 * editor exists. They load with Monaco, in its chunk.
 */
for (const [path, text] of Object.entries(weftDeclarations)) defaults.addExtraLib(text, `${WEFT_TYPES_ROOT}${path}`);

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
