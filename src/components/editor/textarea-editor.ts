/** The plain stand-in for Monaco: a <textarea> behind the same ExampleEditor interface. */
import type { EditorFactory, EditorMarker, ExampleEditor } from './editor.ts';

export const createTextareaEditor: EditorFactory = async (host, code, id, options = {}) => {
  const textarea = document.createElement('textarea');
  textarea.className = 'weft-example__textarea';
  textarea.spellcheck = false;
  textarea.value = code;
  textarea.setAttribute('aria-label', options.label ?? 'Example code');
  textarea.id = `${id}-code`;
  const fit = () => {
    textarea.rows = Math.max(3, textarea.value.split('\n').length);
  };
  fit();
  textarea.addEventListener('input', fit);
  const runCallbacks: Array<() => void> = [];
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      for (const callback of runCallbacks) callback();
    }
  });
  host.append(textarea);

  const offsetOf = (line: number, column: number) => {
    const lines = textarea.value.split('\n').slice(0, line - 1);
    return lines.reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
  };
  const editor: ExampleEditor = {
    getValue: () => textarea.value,
    setValue(value) {
      textarea.value = value;
      fit();
    },
    setMarkers(markers: readonly EditorMarker[]) {
      const first = markers[0];
      textarea.setAttribute('aria-invalid', String(markers.length > 0));
      textarea.title = first ? `line ${first.line}, column ${first.column}: ${first.message}` : '';
    },
    focus(position) {
      textarea.focus();
      if (position) {
        const offset = offsetOf(position.line, position.column);
        textarea.setSelectionRange(offset, offset);
      }
    },
    onRun: (callback) => void runCallbacks.push(callback),
    onChange: (callback) => void textarea.addEventListener('input', () => callback()),
  };
  return editor;
};
