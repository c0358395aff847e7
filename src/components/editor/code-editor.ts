/**
 * The editor of a runnable example or an exercise, opened over the static
 * code it replaces the first time the reader edits (or a run needs it):
 * Monaco, or the plain textarea (load-editor.ts). It is built out of sight,
 * at the static code's place and size, then swapped in in one step, so
 * nothing on the page moves while Monaco loads (on a phone, Monaco then keeps
 * that height until the first keystroke: monaco-editor.ts). It holds the
 * run's markers until the editor exists to show them, and takes Ctrl/Cmd+Enter,
 * changes, the Edit button and the element's `data-editor-loading` /
 * `data-editing` states in hand the same way for both.
 *
 * What differs stays with the owner (example-controller.ts, weft-exercise.ts):
 * where the editor goes, what it is called, what Run and a change do, how
 * drafts are kept, and how a failure is told.
 */
import type { SourceLocation } from '../../runner/events.ts';
import type { EditorMarker, EditorOptions, ExampleEditor } from './editor.ts';
import { editorFactory } from './load-editor.ts';

export interface CodeEditorSetup {
  /** The example or exercise: `data-editor-loading` while the editor loads, `data-editing` once it is open (its `data-editor` may ask for the textarea). */
  element: HTMLElement;
  /** The static code the editor replaces: measured, then hidden once the editor is in. */
  pre: HTMLElement | null;
  /** Puts the editor's host where the editor will stay, next to the static code. */
  place(host: HTMLElement): void;
  /** Unique per editor on the page (the model's name). */
  id: string;
  options?: EditorOptions;
  /** The code the editor opens with when `open` is given none; read once the editor has loaded. */
  code(): string;
  /** The Edit button: disabled once the editor is open, and the focus it had goes to the editor. */
  edit?: HTMLButtonElement | null | undefined;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun(): void;
  /** After every change the reader makes. */
  onChange(): void;
  /** Monaco could not load, so the textarea stands in (load-editor.ts). */
  onFallback?(reason: string): void;
  /** No editor could load; `reason` says why. */
  onError(reason: string): void;
  /** The editor has taken the static code's place. */
  onOpen?(editor: ExampleEditor): void;
}

export class CodeEditor {
  readonly #setup: CodeEditorSetup;
  #editor: ExampleEditor | undefined;
  #loading: Promise<ExampleEditor | undefined> | undefined;
  #markers: EditorMarker[] = [];

  constructor(setup: CodeEditorSetup) {
    this.#setup = setup;
  }

  /** The editor, once it is open. */
  get current(): ExampleEditor | undefined {
    return this.#editor;
  }

  /** The markers shown (or to be shown once the editor opens). */
  get markers(): readonly EditorMarker[] {
    return this.#markers;
  }

  /** Replaces the markers (an empty list clears them). */
  setMarkers(markers: EditorMarker[]): void {
    this.#markers = markers;
    this.#editor?.setMarkers(markers);
  }

  /** Swaps the static code for the editor (once), holding `code` if given; resolves to it, or undefined if none could load. */
  open(code?: string): Promise<ExampleEditor | undefined> {
    this.#loading ??= this.#mount(code).catch((error: unknown) => {
      console.error('weft: could not load the editor', error);
      this.#setup.onError(error instanceof Error ? error.message : String(error));
      return undefined;
    });
    return this.#loading;
  }

  /** Opens the editor with the cursor at `location`. */
  async reveal(location: SourceLocation): Promise<void> {
    (await this.open())?.focus(location);
  }

  async #mount(code: string | undefined): Promise<ExampleEditor> {
    const { element, pre } = this.#setup;
    const host = document.createElement('div');
    host.className = 'weft-example__editor';
    if (pre && !pre.hidden) {
      // Built out of sight, over the code it replaces and the same size, then swapped in
      // in one step: nothing on the page moves (the static code's line box matches the editor's).
      host.classList.add('weft-example__editor--building');
      host.style.top = `${pre.offsetTop}px`;
      host.style.width = `${pre.offsetWidth}px`;
      host.style.height = `${pre.offsetHeight}px`;
    }
    element.setAttribute('data-editor-loading', '');
    this.#setup.place(host);
    try {
      const create = await editorFactory(element, this.#setup.onFallback?.bind(this.#setup));
      const editor = await create(host, code ?? this.#setup.code(), this.#setup.id, this.#setup.options);
      host.classList.remove('weft-example__editor--building');
      host.style.top = '';
      host.style.width = '';
      if (pre) pre.hidden = true;
      this.#editor = editor;
      editor.setMarkers(this.#markers);
      editor.onRun(() => this.#setup.onRun());
      editor.onChange(() => this.#setup.onChange());
      const edit = this.#setup.edit;
      if (edit) {
        if (document.activeElement === edit) editor.focus();
        edit.disabled = true;
      }
      element.setAttribute('data-editing', '');
      this.#setup.onOpen?.(editor);
      return editor;
    } catch (error) {
      host.remove();
      throw error;
    } finally {
      element.removeAttribute('data-editor-loading');
    }
  }
}

/** Calls `save` when the page is hidden or left, so a draft typed just before is kept. */
export function onPageLeave(save: () => void): void {
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save();
  });
}
