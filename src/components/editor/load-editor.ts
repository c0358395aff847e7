/**
 * Which editor an element gets, loaded on demand: Monaco, or a plain
 * <textarea> when `data-editor="textarea"` is set on the element or on
 * <html>. Shared by runnable examples and exercises.
 *
 * When Monaco cannot load (offline before it was ever cached, say), the
 * textarea stands in, and `onFallback` hears why, to tell the reader.
 */
import type { EditorFactory } from './editor.ts';

const textarea = () => import('./textarea-editor.ts').then((module) => module.createTextareaEditor);

export function editorFactory(element: HTMLElement, onFallback?: (reason: string) => void): Promise<EditorFactory> {
  const wanted = element.dataset.editor ?? document.documentElement.dataset.weftEditor;
  if (wanted === 'textarea') return textarea();
  return import('./monaco-editor.ts').then(
    (module) => module.createMonacoEditor,
    (error: unknown) => {
      console.warn('weft: the full editor could not load; using the plain one', error);
      onFallback?.(error instanceof Error ? error.message : String(error));
      return textarea();
    },
  );
}
