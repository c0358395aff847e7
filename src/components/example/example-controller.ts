/**
 * What a runnable example does, loaded on first use: swaps the static code
 * for an editor, runs the code through the runner host, and shows the run in
 * the output log and as editor markers. The editor (../editor/code-editor.ts)
 * is Monaco by default, a textarea when `data-editor="textarea"` is set on the
 * example or on <html>.
 */
import { DEFAULT_TIMEOUT_MS, type RunEvent } from '../../runner/events.ts';
import type { RunHandle } from '../../runner/browser-host.ts';
import { CodeEditor, onPageLeave } from '../editor/code-editor.ts';
import { OutputLog } from '../run/output-log.ts';
import { draftKey, loadDraft, saveDraft } from './example-drafts.ts';
import { confirmDialog } from '../dialog/confirm-dialog.ts';
import { matchesExpected, type OutputComparison } from '../../markdown/expected-output.ts';
import { ExampleTimeline, outcomeLabel, TRACED } from '../timeline/example-timeline.ts';
import { atTypeScriptLocation, isSyntaxCompileError } from '../editor/syntax-location.ts';

export type ExampleAction = 'run' | 'stop' | 'reset' | 'edit' | 'explore' | 'timeline';

/** How long a syntax error waits for the editor's TypeScript to place it before it is shown where the compile step placed it. */
const TYPESCRIPT_WAIT_MS = 2_000;
let examplesOnPage = 0;

export class ExampleController {
  readonly #element: HTMLElement;
  readonly #id = `example-${++examplesOnPage}`;
  readonly #original: string;
  readonly #timeoutMs: number | undefined;
  /** The seed the chapter runs this example under (```` ```ts run seed=N ````), if any. */
  readonly #seed: number | undefined;
  readonly #log: OutputLog;
  readonly #buttons: Record<ExampleAction, HTMLButtonElement | null>;
  readonly #hint: HTMLElement | null;
  /** The editor that replaces the static code on first use; it keeps the run's markers. */
  readonly #editor: CodeEditor;
  #run: RunHandle | undefined;
  /** Identifies the current run, so a stopped run's late events are ignored. */
  #runToken: object | undefined;
  /** Where this example's draft is kept (example-drafts.ts). */
  readonly #draftKey: string;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the current run printed, line by line, to compare with the expected output. */
  #printed: string[] = [];
  /** The last run's trace, its Timeline button and views, and Run under N schedules (components/timeline/). */
  readonly #timeline: ExampleTimeline;

  constructor(element: HTMLElement) {
    this.#element = element;
    const source = element.querySelector('script.weft-example__source')?.textContent ?? '""';
    this.#original = JSON.parse(source) as string;
    const timeout = Number(element.dataset.timeout);
    this.#timeoutMs = Number.isFinite(timeout) && timeout > 0 ? timeout : undefined;
    const seed = element.dataset.seed === undefined ? NaN : Number(element.dataset.seed);
    this.#seed = Number.isInteger(seed) && seed >= 0 ? seed : undefined;
    const panel = element.querySelector<HTMLElement>('.weft-example__output');
    if (!panel) throw new Error('weft-example: no output panel in the markup');
    this.#log = new OutputLog(panel, (location) => void this.#editor.reveal(location));
    const button = (action: ExampleAction) => element.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`);
    this.#buttons = { run: button('run'), stop: button('stop'), reset: button('reset'), edit: button('edit'), explore: button('explore'), timeline: button('timeline') };
    this.#hint = element.querySelector('.weft-example__hint');
    this.#timeline = new ExampleTimeline(element, (location) => void this.#editor.reveal(location));
    this.#draftKey = draftKey(location.pathname, this.#original);
    const pre = element.querySelector('pre');
    this.#editor = new CodeEditor({
      element,
      pre,
      place: (host) => (pre ?? element.querySelector('.weft-example__toolbar'))?.after(host),
      id: this.#id,
      code: () => this.#currentCode(),
      edit: this.#buttons.edit,
      onRun: () => this.#start(),
      onChange: () => this.#saveSoon(),
      onFallback: () => {
        this.#log.show();
        this.#log.note('The full editor could not load (are you offline?), so this is the plain one: your code edits and runs the same.');
      },
      onError: (reason) => {
        this.#log.show();
        this.#log.note(`The editor could not load (${reason}); the code can still run.`, 'error');
      },
      onOpen: () => this.#updateHint(),
    });
    // A draft typed just before the page goes away is saved too.
    onPageLeave(() => this.#saveNow());
  }

  act(action: ExampleAction): void {
    switch (action) {
      case 'run':
        return void this.#start();
      case 'stop':
        return this.#stop();
      case 'reset':
        return void this.#askThenReset();
      case 'edit':
        return void this.#editor.open().then((editor) => editor?.focus());
      case 'explore':
        return void this.#explore();
      case 'timeline':
        return void this.#timeline.toggle();
    }
  }

  /** The code that runs: what is in the editor, else the saved draft, else the book's code. */
  #currentCode(): string {
    return this.#editor.current?.getValue() ?? loadDraft(this.#draftKey) ?? this.#original;
  }

  #saveSoon(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#saveNow(), 300);
  }

  #saveNow(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const editor = this.#editor.current;
    if (!editor) return;
    const code = editor.getValue();
    saveDraft(this.#draftKey, this.#original, code);
    this.#element.toggleAttribute('data-draft', code !== this.#original);
  }

  /** Runs the code; with a seed, under that schedule (a replay from Run under N schedules), and then shows its timeline. */
  #start(seed?: number): void {
    this.#run?.stop(); // Ctrl+Enter while running restarts.
    this.#run = undefined;
    this.#timeline.reset(seed !== undefined);
    this.#log.clear();
    this.#log.show();
    this.#editor.setMarkers([]);
    this.#printed = [];
    this.#showVerdict(undefined);
    const timeoutMs = this.#timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const source = this.#currentCode();
    this.#log.typeErrors(this.#editor.current?.typeErrors?.() ?? []);
    const token = {};
    this.#runToken = token;
    const current = () => this.#runToken === token;
    const finish = () => {
      if (!current()) return;
      this.#run = undefined;
      this.#runToken = undefined;
      this.#setRunning(false);
      if (seed !== undefined) void this.#timeline.toggle(true);
    };
    this.#setRunning(true);
    // Running the code as written needs only the runner: the editor loads when the reader edits.
    import('../../runner/browser-host.ts')
      .then((host) => {
        if (!current()) return; // Reset or another Run came first.
        // A replay from Run under N schedules runs its schedule; an example marked seed=N always runs under its own.
        const runSeed = seed ?? this.#seed;
        const options = { ...TRACED, ...(this.#timeoutMs ? { timeoutMs: this.#timeoutMs } : {}), ...(runSeed !== undefined ? { seed: runSeed } : {}) };
        const show = (event: RunEvent) => {
          if (!current()) return;
          this.#onEvent(event, timeoutMs);
          this.#timeline.onEvent(event);
        };
        // A syntax error goes where the editor's TypeScript squiggles it, not where the compile
        // step's parser gave up: the events after it wait for TypeScript's answer, in order.
        let relocating: Promise<void> | undefined;
        const editor = this.#editor.current;
        const handle = host.startRun(source, options, (event) => {
          if (!current()) return;
          if (relocating) relocating = relocating.then(() => show(event));
          else if (isSyntaxCompileError(event) && editor?.syntaxDiagnostics && editor.getValue() === source) {
            // TypeScript may still be starting (its worker loads with the editor): then the compile step's place it is.
            const late = new Promise<[]>((resolve) => setTimeout(() => resolve([]), TYPESCRIPT_WAIT_MS));
            relocating = Promise.race([editor.syntaxDiagnostics(), late]).then(
              (diagnostics) => show(atTypeScriptLocation(event, diagnostics, source)),
              () => show(event),
            );
          } else show(event);
        });
        this.#run = handle;
        handle.done.then(async (outcome) => {
          await relocating;
          return outcome;
        }).then(finish, (error: unknown) => {
          if (current()) this.#log.note(`The run failed: ${describe(error)}`, 'error');
          finish();
        });
      })
      .catch((error: unknown) => {
        if (current()) this.#log.note(`Could not start the run: ${describe(error)}`, 'error');
        finish();
      });
  }

  #onEvent(event: RunEvent, timeoutMs: number): void {
    this.#log.add(event, timeoutMs);
    if (event.kind === 'output') this.#printed.push(event.text);
    if (event.kind === 'end' && event.outcome.status !== 'stopped') this.#showVerdict(this.#printed);
    if (event.kind === 'error' && event.error.location) {
      const { line, column } = event.error.location;
      this.#editor.setMarkers([...this.#editor.markers, { line, column, message: `${event.error.name}: ${event.error.message}`, severity: 'error' }]);
    }
  }

  /** Run under N schedules: seeds 1..N one after another, then the distinct outcomes, each replayable with its timeline. */
  async #explore(): Promise<void> {
    const total = Number(this.#buttons.explore?.dataset.schedules) || 20;
    this.#run?.stop();
    this.#run = undefined;
    this.#timeline.reset();
    this.#log.clear();
    this.#log.show();
    this.#editor.setMarkers([]);
    this.#showVerdict(undefined);
    const source = this.#currentCode();
    this.#log.typeErrors(this.#editor.current?.typeErrors?.() ?? []);
    const token = {};
    this.#runToken = token;
    const current = () => this.#runToken === token;
    this.#setRunning(true);
    const byLabel = new Map<string, number[]>();
    try {
      const host = await import('../../runner/browser-host.ts');
      for (let seed = 1; seed <= total && current(); seed++) {
        if (this.#hint) this.#hint.textContent = `Schedule ${seed} of ${total}…`;
        const printed: string[] = [];
        const handle = host.startRun(source, { ...(this.#timeoutMs ? { timeoutMs: this.#timeoutMs } : {}), seed }, (event) => {
          if (event.kind === 'output') printed.push(event.text);
        });
        this.#run = handle;
        const outcome = await handle.done;
        if (!current()) return;
        if (outcome.status === 'stopped') {
          this.#log.note(`Stopped after ${seed - 1} of ${total} schedules`);
          return;
        }
        if (outcome.status === 'compile-error' || outcome.status === 'crashed') {
          this.#log.note(`Could not run it: ${outcome.message}`, 'error');
          return;
        }
        const label = outcomeLabel(printed, outcome);
        byLabel.set(label, [...(byLabel.get(label) ?? []), seed]);
      }
      if (!current()) return;
      this.#log.note(`Ran under ${total} schedules: ${byLabel.size} distinct outcome${byLabel.size === 1 ? '' : 's'}.`);
      await this.#timeline.showOutcomes([...byLabel].map(([label, seeds]) => ({ label, seeds })), total, (seed) => this.#start(seed));
    } catch (error) {
      if (current()) this.#log.note(`The runs failed: ${describe(error)}`, 'error');
    } finally {
      if (current()) {
        this.#run = undefined;
        this.#runToken = undefined;
        this.#setRunning(false);
      }
    }
  }

  #stop(): void {
    // The host answers with an `end` event (status "stopped"), which finishes the run.
    if (this.#run) return this.#run.stop();
    if (this.#runToken) {
      // Stopped before the runner had even loaded.
      this.#runToken = undefined;
      this.#setRunning(false);
      this.#log.note('Stopped');
    }
  }

  /** Reset throws the reader's edits away: only after they say so. */
  async #askThenReset(): Promise<void> {
    if (this.#currentCode() !== this.#original) {
      const sure = await confirmDialog({
        title: 'Discard your edits?',
        body: 'Reset puts back the code as the book wrote it. Your edited version of this example will be lost.',
        confirm: 'Discard my edits',
        cancel: 'Keep my edits',
      });
      if (!sure) return;
    }
    this.#reset();
  }

  #reset(): void {
    this.#run?.stop();
    this.#run = undefined;
    this.#runToken = undefined;
    this.#setRunning(false);
    this.#editor.current?.setValue(this.#original);
    saveDraft(this.#draftKey, this.#original, this.#original);
    this.#element.removeAttribute('data-draft');
    const code = this.#element.querySelector('pre > code');
    if (!this.#editor.current && code && code.textContent !== this.#original) code.textContent = this.#original;
    this.#editor.setMarkers([]);
    this.#log.hide();
    this.#timeline.reset();
    this.#showVerdict(undefined);
    this.#updateHint();
  }

  /**
   * The book's expected output for this example (the figure right after it,
   * markdown/expected-output.ts) says whether the last run printed the same:
   * `printed` undefined clears the verdict.
   */
  #showVerdict(printed: string[] | undefined): void {
    const figure = this.#element.nextElementSibling;
    if (!(figure instanceof HTMLElement) || !figure.matches('figure.expected-output')) return;
    const compare = figure.dataset.compare;
    if (compare !== 'exact' && compare !== 'unordered' && compare !== 'shape') return;
    const caption = figure.querySelector('figcaption');
    let verdict = figure.querySelector<HTMLElement>('.expected-output__verdict');
    if (printed === undefined) {
      verdict?.remove();
      delete figure.dataset.match;
      return;
    }
    const expected = (figure.querySelector('pre code')?.textContent ?? '').replace(/\n$/, '').split('\n');
    const same = matchesExpected(printed, expected, compare as OutputComparison);
    if (!verdict) {
      verdict = document.createElement('span');
      verdict.className = 'expected-output__verdict';
      verdict.setAttribute('role', 'status');
      caption?.append(verdict);
    }
    figure.dataset.match = same ? 'yes' : 'no';
    verdict.textContent = same ? '✓ your run printed this' : '✗ your run printed something else';
  }

  #setRunning(running: boolean): void {
    const { run, stop, explore } = this.#buttons;
    const focusWasOn = document.activeElement;
    if (run) run.disabled = running;
    if (explore) explore.disabled = running;
    if (stop) stop.disabled = !running;
    // A disabled button drops focus; hand it to the button that took its place.
    if (running && (focusWasOn === run || focusWasOn === explore)) stop?.focus();
    if (!running && focusWasOn === stop) run?.focus();
    this.#element.toggleAttribute('data-running', running);
    this.#updateHint();
  }

  #updateHint(): void {
    if (!this.#hint) return;
    const running = this.#element.hasAttribute('data-running');
    const mac = /Mac|iPhone|iPad/.test(navigator.platform);
    const edited = this.#element.hasAttribute('data-draft') ? 'Your edited version' : '';
    this.#hint.textContent = running ? 'Running…' : this.#editor.current ? `${mac ? '⌘' : 'Ctrl'}+Enter runs · Esc leaves the editor` : edited;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
