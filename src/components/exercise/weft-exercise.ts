/**
 * `<weft-exercise>`: an exercise at work. The markup comes from the build
 * (Exercise.astro); this element adds the editor (the runnable examples'
 * one, ../editor/code-editor.ts: Monaco on demand, or a textarea), Check and Stop (the grader in
 * exercises/grade.ts, through exercises/browser-grade.ts), Run (the reader's `main`, once,
 * its output labelled by thread as the examples show it), Replay of a failing seed,
 * hints one at a time, the solution after a confirmation, Reset, drafts
 * saved as the reader types, and progress (src/progress/store.ts).
 *
 * The runner and the editor load with `import()` when first needed; the
 * reader's code never runs on this thread, so the page stays responsive
 * whatever the program does. A saved draft opens the editor at once, so
 * the reader finds their code where they left it.
 */
import type { RunHandle } from '../../runner/browser-host.ts';
import type { GradeHandle, GradeResult } from '../../exercises/grade.ts';
import { DEFAULT_TIMEOUT_MS, type SourceLocation } from '../../runner/events.ts';
import type { EditorMarker } from '../editor/editor.ts';
import { CodeEditor, onPageLeave } from '../editor/code-editor.ts';
import { OutputLog } from '../run/output-log.ts';
import { deleteDraft, readAllProgress, readDraft, readProgress, saveDraft, StorageError, updateProgress } from '../../progress/store.ts';
import { continueWith, statusOf, withAttempt, withHintsShown, withResult, withSolutionRevealed, type ExerciseProgress } from '../../progress/schema.ts';
import { CheckResults } from './check-results.ts';
import { show } from '../../exercises/checks-api.ts';
import { confirmDialog } from '../dialog/confirm-dialog.ts';
import { keepUnsaved, takeUnsaved } from './unsaved-draft.ts';
import { ExampleTimeline, TRACED } from '../timeline/example-timeline.ts';

type Action = 'check' | 'run' | 'stop' | 'edit' | 'hint' | 'solution' | 'reset' | 'load-solution';
const ACTIONS: readonly string[] = ['check', 'run', 'stop', 'edit', 'hint', 'solution', 'reset', 'load-solution'];

interface ExerciseData {
  starter: string;
  solution: string;
  checks: { id: string; title: string }[];
  hints: number;
  /** Every exercise of the book in order, with its page address (undefined when no chapter shows it yet). */
  book?: { id: string; title: string; href?: string }[];
}

/** Drafts are saved this long after the last keystroke. */
const SAVE_DELAY_MS = 500;

/** The page's runner and grader (the runner alone is runner/browser-host.ts; grading adds the checks). */
const host = () => import('../../exercises/browser-grade.ts');
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

class WeftExercise extends HTMLElement {
  #id = '';
  #data!: ExerciseData;
  #buttons = new Map<Action, HTMLButtonElement>();
  #results!: CheckResults;
  #replayLog!: OutputLog;
  /** The Run's or Replay's trace: its Timeline button, and the wait-for graph when it deadlocked (components/timeline/). */
  #timeline!: ExampleTimeline;
  #saveStatus: HTMLElement | null = null;
  #progress: ExerciseProgress | undefined;
  /** False once storage has failed: the exercise still works, it just cannot remember. */
  #storage = true;

  /** The editor that replaces the static code (a saved draft opens it at once); it keeps the checks' markers. */
  #editor!: CodeEditor;
  #saveTimer = 0;

  /** What is running: a Check or a Replay (never both). */
  #grading: GradeHandle | undefined;
  #replay: RunHandle | undefined;
  #busy: 'checking' | 'replaying' | undefined;
  /** The source the last Check graded: a Replay runs exactly that. */
  #checkedSource: string | undefined;

  connectedCallback(): void {
    if (this.hasAttribute('data-ready')) return;
    this.setAttribute('data-ready', '');
    this.#id = this.dataset.exercise ?? '';
    this.#data = JSON.parse(this.querySelector('script.weft-exercise__data')?.textContent ?? '{}') as ExerciseData;
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const action = button.dataset.action ?? '';
      if (!ACTIONS.includes(action)) continue;
      this.#buttons.set(action as Action, button);
      button.disabled = action === 'stop' || (action === 'hint' && this.#data.hints === 0);
      button.addEventListener('click', () => void this.#act(action as Action));
    }
    this.#saveStatus = this.querySelector('[data-save-status]');
    this.#results = new CheckResults(this.querySelector('.weft-exercise__results')!, {
      replay: (seed, check) => this.#startReplay(seed, check.title, check.call, check.location, check.timeoutMs),
      reveal: (location) => void this.#editor.reveal(location),
    });
    this.#replayLog = new OutputLog(this.querySelector('.weft-exercise__replay [role="log"]')!, (location) => void this.#editor.reveal(location));
    const replayPanel = this.querySelector<HTMLElement>('.weft-exercise__replay')!;
    this.#timeline = new ExampleTimeline(replayPanel, (location) => void this.#editor.reveal(location));
    replayPanel.querySelector('button[data-action="timeline"]')?.addEventListener('click', () => void this.#timeline.toggle());
    const code = this.querySelector<HTMLElement>('.weft-exercise__code');
    this.#editor = new CodeEditor({
      element: this,
      pre: code?.querySelector('pre') ?? null,
      place: (host) => code!.append(host),
      id: `exercise-${this.#id}`,
      options: {
        label: `Your code for the exercise "${this.querySelector('.weft-exercise__title')?.textContent ?? this.#id}"`,
        // An exercise's whole program stays in view (the page scrolls, not the editor) up to about 60 lines.
        maxHeightPx: 1360,
      },
      code: () => this.#data.starter,
      edit: this.#buttons.get('edit'),
      onRun: () => void this.#check(),
      onChange: () => this.#scheduleSave(),
      onError: (reason) => this.#setSaveStatus(`The editor could not load (${reason}).`, true),
    });
    // Clicking the code opens the editor there, as Edit does.
    code?.addEventListener('click', () => void this.#editor.open().then((editor) => editor?.focus()));
    code?.querySelector('pre')?.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.#check();
      }
    });
    const warm = () => void host().then((h) => h.prewarm(), () => undefined);
    this.querySelector('.weft-exercise__toolbar')?.addEventListener('pointerenter', warm, { once: true });
    this.querySelector('.weft-exercise__toolbar')?.addEventListener('focusin', warm, { once: true });
    // A draft typed just before leaving is saved now rather than lost.
    onPageLeave(() => this.#saveNow(true));
    void this.#restore();
  }

  async #act(action: Action): Promise<void> {
    switch (action) {
      case 'check':
        return this.#check();
      case 'run':
        return this.#run();
      case 'stop':
        return this.#stop();
      case 'edit':
        return void (await this.#editor.open())?.focus();
      case 'hint':
        return this.#nextHint();
      case 'solution':
        return this.#askForSolution();
      case 'reset':
        return this.#reset();
      case 'load-solution':
        return this.#loadSolution();
    }
  }

  // ---- Progress and drafts ----

  async #restore(): Promise<void> {
    let draft;
    try {
      [this.#progress, draft] = await Promise.all([readProgress(this.#id), readDraft(this.#id)]);
    } catch (error) {
      this.#storageFailed(error);
      return;
    }
    const unsaved = takeUnsaved(this.#id);
    if (unsaved && (!draft || unsaved.savedAt >= draft.savedAt)) {
      draft = { id: this.#id, ...unsaved };
      void (unsaved.source === this.#data.starter ? deleteDraft(this.#id) : saveDraft(this.#id, unsaved.source)).catch((error: unknown) => this.#storageFailed(error));
    }
    this.#showProgress();
    for (let i = 0; i < Math.min(this.#progress.hintsShown, this.#data.hints); i++) this.#revealHint(i);
    this.#updateHintButton();
    if (this.#progress.solutionRevealedAt !== undefined) this.#showSolution();
    if (draft && draft.source !== this.#data.starter && !this.#editor.current) {
      // Until the editor is up, the static code shows the draft (plain) rather than the starter.
      const code = this.querySelector('.weft-exercise__code pre code');
      if (code) code.textContent = draft.source;
      this.#setSaveStatus('Your saved draft');
      await this.#editor.open(draft.source);
    }
  }

  async #record(change: (progress: ExerciseProgress) => ExerciseProgress): Promise<void> {
    if (!this.#storage) return;
    try {
      this.#progress = await updateProgress(this.#id, change);
      this.#showProgress();
    } catch (error) {
      this.#storageFailed(error);
    }
  }

  #storageFailed(error: unknown): void {
    console.warn('weft: progress storage is unavailable', error);
    this.#storage = false;
    this.#setSaveStatus(
      error instanceof StorageError
        ? `Your work isn't being saved: ${error.message}.`
        : "This browser won't let the book save your work: it lasts until you leave the page.",
      true,
    );
  }

  #showProgress(): void {
    const badge = this.querySelector<HTMLElement>('[data-progress-badge]');
    if (!badge || !this.#progress) return;
    const status = statusOf(this.#progress);
    badge.hidden = status === 'not-started';
    badge.dataset.status = status;
    const parts = [status === 'solved' ? 'Solved' : `Attempted${this.#progress.attempts > 0 ? ` ${times(this.#progress.attempts)}` : ''}`];
    if (this.#progress.solutionRevealedAt !== undefined) parts.push('solution seen');
    badge.textContent = parts.join(' · ');
  }

  #scheduleSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = window.setTimeout(() => this.#saveNow(), SAVE_DELAY_MS);
    if (this.#storage) this.#setSaveStatus('Editing…');
  }

  /**
   * `leaving`: the page is being hidden or unloaded. IndexedDB may not get
   * to commit before the page goes (a draft typed just before a reload was
   * lost, issue 17), so the draft is also kept synchronously in this tab's
   * sessionStorage (unsaved-draft.ts), which #restore takes back if it is newer.
   */
  #saveNow(leaving = false): void {
    if (!this.#saveTimer) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = 0;
    const editor = this.#editor.current;
    if (!this.#storage || !editor) return;
    const source = editor.getValue();
    if (leaving) keepUnsaved(this.#id, source);
    const saving = source === this.#data.starter ? deleteDraft(this.#id) : saveDraft(this.#id, source);
    saving.then(
      () => this.#setSaveStatus(source === this.#data.starter ? '' : 'Draft saved'),
      (error: unknown) => this.#storageFailed(error),
    );
  }

  /** The reader's code: what is in the editor, else the starter. */
  #code(): string {
    return this.#editor.current?.getValue() ?? this.#data.starter;
  }

  /** `long`: a sentence (the work is not being saved), which gets a row of its own rather than being cut (exercise.css). */
  #setSaveStatus(text: string, long = false): void {
    if (!this.#saveStatus) return;
    this.#saveStatus.textContent = text;
    this.#saveStatus.toggleAttribute('data-long', long);
  }

  // ---- Check, Stop, Replay ----

  async #check(): Promise<void> {
    if (this.#busy === 'checking') return;
    this.#stopReplay();
    this.#editor.setMarkers([]);
    this.#hideReplay();
    this.#results.start(this.#data.checks);
    this.#setBusy('checking');
    // The editor shows the markers of failed checks; the code checked is what it holds (a saved draft included).
    const editor = await this.#editor.open();
    if (!this.#checking()) return; // Stopped while the editor loaded.
    const source = editor?.getValue() ?? this.#code();
    this.#saveNow();
    this.#checkedSource = source;
    this.#results.typeErrors(editor?.typeErrors?.() ?? []);
    void this.#record((p) => withAttempt(p, Date.now()));
    let handle: GradeHandle;
    try {
      handle = (await host()).startGrade(this.#id, source, (event) => {
        if (this.#grading !== handle) return;
        if (event.kind === 'check-start') this.#results.running(event.id, event.title);
        else if (event.kind === 'check-end') {
          this.#results.ended(event.result);
          // A Replay button that arrives while later checks still run waits for them, as the others do.
          for (const replay of this.querySelectorAll<HTMLButtonElement>('.weft-results__replay')) replay.disabled = this.#busy === 'checking';
          const at = event.result.location;
          if (at && event.result.status !== 'passed') {
            this.#editor.setMarkers([...this.#editor.markers, { line: at.line, column: at.column, message: `${event.result.title}: ${event.result.message === undefined ? 'failed' : event.result.message + (event.result.replayCue ?? '')}`, severity: 'error' }]);
          }
        }
      }, this.#data.starter);
    } catch (error) {
      this.#results.failedToStart(`Your code could not be checked: ${describe(error)}`);
      this.#setBusy(undefined);
      return;
    }
    this.#grading = handle;
    let result: GradeResult | undefined;
    try {
      result = await handle.done;
    } catch (error) {
      this.#results.failedToStart(`Checking failed (a bug in the book, not in your code): ${describe(error)}`);
    }
    if (this.#grading !== handle) return;
    this.#grading = undefined;
    this.#setBusy(undefined);
    if (!result) return;
    const stopped = result.checks.some((c) => c.reason === 'stopped');
    this.#results.finished(result, stopped);
    if (!stopped) await this.#record((p) => withResult(p, result.passed, Date.now()));
    if (result.passed) await this.#offerNext();
  }

  /** After a pass: "Continue with …", the next exercise not solved yet in book order (schema.ts continueWith). */
  async #offerNext(): Promise<void> {
    const book = (this.#data.book ?? []).filter((x) => x.href !== undefined);
    let progress: ExerciseProgress[] = [];
    try {
      progress = [...(await readAllProgress()).values()];
    } catch {
      // Storage refused: offer the next exercise in book order.
    }
    // This one counts as solved even if storage could not record it.
    const solvedHere = { ...(progress.find((p) => p.id === this.#id) ?? { id: this.#id, attempts: 1, hintsShown: 0 }), passedAt: Date.now() };
    const next = continueWith(book.map((x) => x.id), [...progress.filter((p) => p.id !== this.#id), solvedHere], this.#id);
    const target = book.find((x) => x.id === next);
    if (target) this.#results.continueWith(target.title, target.href!);
  }

  #checking(): boolean {
    return this.#busy === 'checking';
  }

  #stop(): void {
    if (this.#busy === 'checking' && !this.#grading) {
      this.#setBusy(undefined);
      this.#results.failedToStart('Stopped before the checks started.');
    }
    this.#grading?.stop();
    this.#stopReplay();
  }

  /** Run: the reader's program as it is in the editor, `main` once on real threads, its output in the panel Replay uses. */
  async #run(): Promise<void> {
    if (this.#busy === 'checking') return;
    const editor = await this.#editor.open();
    if (this.#checking()) return; // a Check started while the editor loaded
    const source = editor?.getValue() ?? this.#code();
    this.#saveNow();
    this.#editor.setMarkers([]);
    this.#runInPanel(source, {}, 'Output', 'Your program’s main, run once on real threads: what each thread printed, labelled with its name.');
  }

  #startReplay(seed: number, checkTitle: string, call?: { name: string; args: unknown[] }, location?: SourceLocation, timeoutMs?: number): void {
    if (this.#busy === 'checking' || this.#checkedSource === undefined) return;
    const source = this.#checkedSource;
    const edited = this.#editor.current !== undefined && this.#editor.current.getValue() !== source;
    const what = call ? `The call ${call.name}(${show(call.args, 3).slice(1, -1)})` : 'Your program';
    this.#runInPanel(
      source,
      { seed, ...(call ? { call } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
      `Replay of seed ${seed}`,
      `${what}${edited ? ', as your code was when you pressed Check,' : ''} run again on the schedule where “${checkTitle}” failed.`,
      location ? { lines: [location.line], why: `where “${checkTitle}” found the failure` } : undefined,
    );
  }

  /** Runs `source` once (a Run, or a Replay of a failing seed) and shows what it printed in the output panel. */
  #runInPanel(
    source: string,
    options: { seed?: number; call?: { name: string; args: unknown[] }; timeoutMs?: number },
    heading: string,
    note: string,
    evidence?: { lines: number[]; why: string },
  ): void {
    this.#stopReplay();
    const { call } = options;
    const panel = this.querySelector<HTMLElement>('.weft-exercise__replay')!;
    const title = panel.querySelector('.weft-exercise__panel-title')!;
    title.textContent = heading;
    panel.querySelector('.weft-exercise__replay-note')!.textContent = note;
    panel.hidden = false;
    this.#replayLog.clear();
    this.#replayLog.show();
    // The editor's type errors are of the code it holds: said when that is the code about to run.
    const editor = this.#editor.current;
    if (editor !== undefined && editor.getValue() === source) this.#replayLog.typeErrors(editor.typeErrors?.() ?? []);
    this.#timeline.reset(false, evidence);
    this.#setBusy('replaying');
    const markers: EditorMarker[] = [];
    const replaying = options.seed !== undefined;
    host()
      .then((h) => {
        const handle = h.startRun(source, { ...TRACED, ...options }, (event) => {
          if (this.#replay !== handle) return;
          this.#replayLog.add(event, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
          this.#timeline.onEvent(event);
          // A Replay shows the failing schedule at once: the timeline is what it is for.
          if (replaying && event.kind === 'end') void this.#timeline.toggle(true);
          // A replayed call says what it returned, which is what the check judged.
          if (call && event.kind === 'end' && event.outcome.status === 'ok') this.#replayLog.note(`${call.name} returned ${show(event.outcome.value)}`);
          if (event.kind === 'error' && event.error.location) {
            const { line, column } = event.error.location;
            markers.push({ line, column, message: `${event.error.name}: ${event.error.message}`, severity: 'error' });
            this.#editor.setMarkers([...markers]);
          }
        });
        this.#replay = handle;
        const finish = () => {
          if (this.#replay !== handle) return;
          this.#replay = undefined;
          this.#setBusy(undefined);
        };
        handle.done.then(finish, (error: unknown) => {
          this.#replayLog.note(`The run failed: ${describe(error)}`, 'error');
          finish();
        });
      })
      .catch((error: unknown) => {
        this.#replayLog.note(`Could not start the run: ${describe(error)}`, 'error');
        this.#setBusy(undefined);
      });
    panel.scrollIntoView({ block: 'nearest' });
  }

  #stopReplay(): void {
    // The run answers with an `end` event (status "stopped"), shown in the log.
    this.#replay?.stop();
  }

  #hideReplay(): void {
    this.#replayLog.hide();
    this.querySelector<HTMLElement>('.weft-exercise__replay')!.hidden = true;
  }

  #setBusy(busy: 'checking' | 'replaying' | undefined): void {
    this.#busy = busy;
    const check = this.#buttons.get('check');
    const stop = this.#buttons.get('stop');
    const focusWasOn = document.activeElement;
    const run = this.#buttons.get('run');
    if (check) check.disabled = busy === 'checking';
    if (run) run.disabled = busy === 'checking';
    if (stop) stop.disabled = busy === undefined;
    for (const replay of this.querySelectorAll<HTMLButtonElement>('.weft-results__replay')) replay.disabled = busy === 'checking';
    if (busy === 'checking' && focusWasOn === check) stop?.focus();
    if (busy === undefined && focusWasOn === stop) check?.focus();
    this.toggleAttribute('data-running', busy !== undefined);
  }

  // ---- Hints, solution, reset ----

  #hintsShown(): number {
    return this.querySelectorAll('.weft-exercise__hint-list > li').length;
  }

  #revealHint(index: number): HTMLElement | undefined {
    const source = this.querySelector<HTMLTemplateElement>('template.weft-exercise__hint-source');
    const hint = source?.content.children[index];
    if (!hint) return undefined;
    const section = this.querySelector<HTMLElement>('.weft-exercise__hints')!;
    section.hidden = false;
    const item = document.createElement('li');
    item.append(hint.cloneNode(true));
    section.querySelector('ol')!.append(item);
    return item;
  }

  #updateHintButton(): void {
    const shown = this.#hintsShown();
    const count = this.querySelector('[data-hint-count]');
    if (count) count.textContent = `(${shown} of ${this.#data.hints})`;
    const button = this.#buttons.get('hint');
    if (button && shown >= this.#data.hints) {
      if (document.activeElement === button) this.#buttons.get('solution')?.focus();
      button.disabled = true;
      button.title = 'Every hint is shown';
    }
  }

  async #nextHint(): Promise<void> {
    const shown = this.#hintsShown();
    if (shown >= this.#data.hints) return;
    this.#revealHint(shown)?.scrollIntoView({ block: 'nearest' });
    this.#updateHintButton();
    await this.#record((p) => withHintsShown(p, shown + 1));
  }

  async #askForSolution(): Promise<void> {
    if (this.#progress?.solutionRevealedAt === undefined || !this.#solutionShown()) {
      const sure = await confirmDialog({
        title: 'See the reference solution?',
        body: 'Trying again, with the hints, teaches more than reading an answer. If you look, the progress page will note that you saw the solution.',
        confirm: 'Show the solution',
        cancel: 'Keep trying',
      });
      if (!sure) return;
      this.#showSolution();
      await this.#record((p) => withSolutionRevealed(p, Date.now()));
    }
    this.querySelector<HTMLElement>('.weft-exercise__solution .weft-exercise__panel-title')?.focus();
  }

  #solutionShown(): boolean {
    return !this.querySelector<HTMLElement>('.weft-exercise__solution')!.hidden;
  }

  #showSolution(): void {
    const section = this.querySelector<HTMLElement>('.weft-exercise__solution')!;
    const code = section.querySelector('.weft-exercise__solution-code')!;
    if (code.childElementCount === 0) {
      const source = this.querySelector<HTMLTemplateElement>('template.weft-exercise__solution-source');
      if (source) code.append(source.content.cloneNode(true));
    }
    section.hidden = false;
  }

  async #loadSolution(): Promise<void> {
    const current = this.#code();
    if (current !== this.#data.starter && current !== this.#data.solution) {
      const sure = await confirmDialog({
        title: 'Replace your code with the solution?',
        body: 'Your code in the editor will be replaced by the reference solution, and your draft with it.',
        confirm: 'Replace my code',
        cancel: 'Keep my code',
      });
      if (!sure) return;
    }
    const editor = await this.#editor.open(this.#data.solution);
    editor?.setValue(this.#data.solution);
    this.#scheduleSave();
    this.#saveNow();
    editor?.focus();
  }

  async #reset(): Promise<void> {
    if (this.#code() !== this.#data.starter) {
      const sure = await confirmDialog({
        title: 'Start again from the starter code?',
        body: 'Your code will be replaced by the starter code, and your saved draft deleted. Your progress (solved, hints, attempts) stays.',
        confirm: 'Start again',
        cancel: 'Keep my code',
      });
      if (!sure) return;
    }
    this.#stop();
    this.#editor.current?.setValue(this.#data.starter);
    clearTimeout(this.#saveTimer);
    this.#saveTimer = 0;
    this.#editor.setMarkers([]);
    this.#results.clear();
    this.#hideReplay();
    this.#checkedSource = undefined;
    if (this.#storage) deleteDraft(this.#id).then(() => this.#setSaveStatus(''), (error: unknown) => this.#storageFailed(error));
  }
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

if (!customElements.get('weft-exercise')) customElements.define('weft-exercise', WeftExercise);
