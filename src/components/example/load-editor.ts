/**
 * Which editor an element gets, loaded on demand: Monaco, or a plain
 * <textarea> when `data-editor="textarea"` is set on the element or on
 * <html>. Shared by runnable examples and exercises.
 */
import type { EditorFactory } from './editor.ts';

export function editorFactory(element: HTMLElement): Promise<EditorFactory> {
  const wanted = element.dataset.editor ?? document.documentElement.dataset.weftEditor;
  return wanted === 'textarea'
    ? import('./textarea-editor.ts').then((module) => module.createTextareaEditor)
    : import('./monaco-editor.ts').then((module) => module.createMonacoEditor);
}
