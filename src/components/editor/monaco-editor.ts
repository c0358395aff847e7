/** Monaco behind the ExampleEditor interface. Loaded with `import()` only when the reader edits or runs. */
import type { EditorFactory, EditorMarker, ExampleEditor } from './editor.ts';
import { codeFont, monaco } from './monaco-setup.ts';

const MARKER_OWNER = 'weft-run';
/**
 * By default the editor is as tall as its code, as the static code it replaces
 * was: opening it moves nothing on the page. A caller may cap it.
 */
const MAX_HEIGHT_PX = Infinity;

export const createMonacoEditor: EditorFactory = async (host, code, id, options = {}) => {
  const model = monaco.editor.createModel(code, 'typescript', monaco.Uri.parse(`file:///${id}.ts`));
  const wraps = matchMedia('(max-width: 40rem)').matches;
  const editor = monaco.editor.create(host, {
    model,
    ariaLabel: `${options.label ?? 'Example code'}. Escape leaves the editor; Control+Enter runs.`,
    fontFamily: codeFont || 'monospace',
    fontSize: 14,
    lineHeight: 22,
    tabSize: 2,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    renderLineHighlightOnlyWhenFocus: true,
    folding: false,
    lineNumbersMinChars: 3,
    // Monaco counts its horizontal scrollbar's 10 px into the content height, so 12 px of space
    // below the last line is 2 px of padding plus the scrollbar's band: the static code's 12 px (weft-example.css).
    padding: { top: 12, bottom: 2 },
    scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
    fixedOverflowWidgets: true,
    automaticLayout: true,
    // On a phone, long lines wrap instead of scrolling the editor sideways while typing.
    wordWrap: wraps ? 'on' : 'off',
  });

  // Monaco keeps Tab for indentation: Escape leaves the editor instead, to its toolbar,
  // from where Tab goes on through the page (the toolbar's hint and the editor's label say so).
  editor.addCommand(
    monaco.KeyCode.Escape,
    () => host.closest('weft-example, .weft-exercise')?.querySelector<HTMLButtonElement>('[role="toolbar"] button:not(:disabled)')?.focus(),
    'editorTextFocus && !suggestWidgetVisible && !findWidgetVisible && !renameInputVisible && !parameterHintsVisible && !inSnippetMode',
  );

  // Height follows content, so the editor takes the static code's place without a jump. With wrapped
  // lines (a phone) the editor is taller than the static code it replaces, which scrolls sideways: until
  // the reader changes the code it keeps the code's height (the host's, set by the caller) and scrolls
  // inside, so nothing on the page moves as it appears; the first edit lets it grow.
  let held = wraps && host.style.height !== '';
  const fit = () => {
    if (held) return;
    host.style.height = `${Math.min(editor.getContentHeight(), options.maxHeightPx ?? MAX_HEIGHT_PX)}px`;
  };
  editor.onDidContentSizeChange(fit);
  editor.onDidChangeModelContent(() => {
    if (!held) return;
    held = false;
    fit();
  });
  fit();

  const runCallbacks: Array<() => void> = [];
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => {
    for (const callback of runCallbacks) callback();
  });

  const toMonacoMarker = (marker: EditorMarker): monaco.editor.IMarkerData => {
    const line = Math.min(Math.max(1, marker.line), model.getLineCount());
    const column = Math.max(1, marker.column);
    const word = model.getWordAtPosition({ lineNumber: line, column });
    return {
      severity: marker.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: marker.message,
      startLineNumber: line,
      startColumn: word ? word.startColumn : column,
      endLineNumber: line,
      endColumn: word ? word.endColumn : model.getLineMaxColumn(line),
    };
  };

  const exampleEditor: ExampleEditor = {
    getValue: () => model.getValue(),
    setValue: (value) => model.setValue(value),
    setMarkers: (markers) => monaco.editor.setModelMarkers(model, MARKER_OWNER, markers.map(toMonacoMarker)),
    focus(position) {
      editor.focus();
      if (position) {
        const target = { lineNumber: position.line, column: position.column };
        editor.setPosition(target);
        editor.revealPositionInCenterIfOutsideViewport(target);
      }
    },
    onRun: (callback) => void runCallbacks.push(callback),
    onChange: (callback) => void model.onDidChangeContent(() => callback()),
    typeErrors: () =>
      monaco.editor
        .getModelMarkers({ resource: model.uri })
        .filter((m) => m.owner !== MARKER_OWNER && m.severity === monaco.MarkerSeverity.Error)
        .map((m) => ({ line: m.startLineNumber, column: m.startColumn, message: m.message, severity: 'error' as const })),
    async syntaxDiagnostics() {
      const worker = await (await monaco.typescript.getTypeScriptWorker())(model.uri);
      return worker.getSyntacticDiagnostics(model.uri.toString());
    },
  };
  return exampleEditor;
};
