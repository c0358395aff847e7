/**
 * The editor an example needs, and nothing more. The example controller
 * depends on this interface only, so Monaco (monaco-editor.ts) is loaded on
 * demand and a plain <textarea> (textarea-editor.ts) can stand in for tests,
 * or wherever Monaco is unwelcome. No imports.
 */

/** A problem at a place in the reader's code; 1-based, like RunEvent locations. */
export interface EditorMarker {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ExampleEditor {
  getValue(): string;
  setValue(code: string): void;
  /** Replaces the run's markers (an empty list clears them). */
  setMarkers(markers: readonly EditorMarker[]): void;
  /** Focuses the editor; with a position, moves the cursor there and reveals it. */
  focus(position?: { line: number; column: number }): void;
  /** Called when the reader asks to run from inside the editor (Ctrl/Cmd+Enter). */
  onRun(callback: () => void): void;
  /** Called after every change the reader makes (an exercise saves its draft from here). */
  onChange(callback: () => void): void;
  /**
   * TypeScript's syntax errors in the code as it is now, with `start` as an
   * offset into `getValue()`: the editor's own squiggles. Only editors with
   * TypeScript behind them (Monaco) have it; a syntax error the compile step
   * found is then reported where TypeScript reports it.
   */
  syntaxDiagnostics?(): Promise<Array<{ start?: number | undefined; messageText: string | { messageText: string } }>>;
  /**
   * The errors TypeScript marks in the code as it is now (its red squiggles, not a run's markers). Only editors with
   * TypeScript behind them (Monaco) have it.
   */
  typeErrors?(): EditorMarker[];
}

export interface EditorOptions {
  /** The editor's accessible name (default "Example code"). */
  label?: string;
  /** The editor grows with its code up to this height, then scrolls (default 640 px). */
  maxHeightPx?: number;
}

/** Builds an editor inside `host`, holding `code`. `id` is unique per editor on the page. */
export type EditorFactory = (host: HTMLElement, code: string, id: string, options?: EditorOptions) => Promise<ExampleEditor>;
