/**
 * What a runnable example keeps of its runs for the timeline (part of the
 * example controller's chunk, so kept small): each run's trace, console
 * lines and deadlock report, the Timeline button once a run has ended, the
 * wait-for graph when it deadlocked, and Run under N schedules. The drawing
 * itself (timeline-view.ts, render.ts) loads with `import()` when first needed.
 */
import type { RunEvent, RunOptions, RunOutcome, SourceLocation } from '../../runner/events.ts';
import type { ConsoleLine } from '../../timeline/model.ts';
import type { RecordedRun, ScheduleOutcome } from './timeline-view.ts';
import type { DeadlockEntry } from '../../timeline/wait-for.ts';

/** What every example run asks of the runner so its timeline can be drawn afterwards. */
export const TRACED: RunOptions = { trace: true, traceCapacity: 20_000, tracePolls: true };

const loadView = () => import('./timeline-view.ts');

export class ExampleTimeline {
  readonly #element: HTMLElement;
  readonly #button: HTMLButtonElement | null;
  readonly #reveal: (location: SourceLocation) => void;
  #console: ConsoleLine[] = [];
  #errors: DeadlockEntry[] = [];
  #last: RecordedRun | undefined;
  #evidence: RecordedRun['evidence'];
  #views: HTMLElement | undefined;
  #timeline: HTMLElement | undefined;

  constructor(element: HTMLElement, reveal: (location: SourceLocation) => void) {
    this.#element = element;
    this.#button = element.querySelector<HTMLButtonElement>('button[data-action="timeline"]');
    this.#reveal = reveal;
  }

  /** A new run starts: what the last one drew goes. `evidence`: the lines a failed check pointed at, marked in the new run's timeline. */
  reset(keepOutcomes = false, evidence?: RecordedRun['evidence']): void {
    this.#evidence = evidence;
    this.#console = [];
    this.#errors = [];
    this.#last = undefined;
    this.#timeline = undefined;
    if (this.#button) {
      this.#button.hidden = true;
      this.#button.setAttribute('aria-expanded', 'false');
    }
    for (const child of [...(this.#views?.children ?? [])]) {
      if (!(keepOutcomes && child.classList.contains('weft-outcomes'))) child.remove();
    }
  }

  /** Every event of the run, in order. */
  onEvent(event: RunEvent): void {
    if (event.kind === 'output' && event.at) {
      this.#console.push({ thread: event.thread, threadId: event.threadId, text: event.text, time: event.at.time, ...(event.at.line ? { line: event.at.line } : {}) });
    } else if (event.kind === 'error') {
      this.#errors.push({ ...(event.error.thread ? { thread: event.error.thread } : {}), ...(event.error.location ? { line: event.error.location.line } : {}), ...(event.error.task ? { task: event.error.task } : {}) });
    } else if (event.kind === 'end') {
      this.#ended(event.outcome);
    }
  }

  #ended(outcome: RunOutcome): void {
    if (!outcome.trace || outcome.status === 'stopped' || outcome.status === 'compile-error') return;
    this.#last = {
      events: outcome.trace.events,
      dropped: outcome.trace.dropped,
      console: this.#console,
      ...(outcome.seed !== undefined ? { seed: outcome.seed } : {}),
      ...(outcome.status === 'deadlock' ? { deadlocked: this.#errors } : {}),
      ...(this.#evidence ? { evidence: this.#evidence } : {}),
    };
    if (this.#button) this.#button.hidden = false;
    if (outcome.status === 'deadlock') void this.#showWaitFor(this.#last);
  }

  async #showWaitFor(run: RecordedRun): Promise<void> {
    const view = await loadView();
    if (this.#last !== run) return;
    const figure = view.waitForFigure(run, this.#reveal);
    if (figure) this.#area().prepend(figure);
  }

  /** The Timeline button: opens the last run's timeline, or closes it. */
  async toggle(open = this.#timeline === undefined): Promise<void> {
    const run = this.#last;
    if (!run) return;
    if (!open) {
      this.#timeline?.remove();
      this.#timeline = undefined;
      this.#button?.setAttribute('aria-expanded', 'false');
      return;
    }
    const view = await loadView();
    if (this.#last !== run || this.#timeline) return;
    this.#timeline = view.timelineFigure(run, this.#reveal);
    this.#area().append(this.#timeline);
    this.#button?.setAttribute('aria-expanded', 'true');
  }

  /** Shows the outcomes of runs under seeds 1..N; `replay` runs one seed again with its timeline. */
  async showOutcomes(outcomes: ScheduleOutcome[], total: number, replay: (seed: number) => void): Promise<void> {
    const view = await loadView();
    this.#views?.querySelector('.weft-outcomes')?.remove();
    this.#area().prepend(view.outcomesList(outcomes, total, replay));
  }

  /** Where the views go: right after the output log. */
  #area(): HTMLElement {
    if (!this.#views) {
      this.#views = document.createElement('div');
      this.#views.className = 'weft-example__views';
      (this.#element.querySelector('.weft-example__output') ?? this.#element.lastElementChild)?.after(this.#views);
    }
    return this.#views;
  }
}

/** How a run under one schedule ended, as a reader tells outcomes apart: what it printed, or how it failed. */
export function outcomeLabel(printed: string[], outcome: RunOutcome): string {
  const output = printed.join('\n');
  if (outcome.status === 'ok') return output || '(printed nothing)';
  const how = outcome.status === 'deadlock' ? 'deadlock' : outcome.status === 'panic' ? 'panic' : outcome.status;
  // The reason, not the message: the message names its seed ("seed 3: run it again..."), which is not part of the outcome.
  return `${output ? `${output}\n` : ''}… then ${how}${outcome.status === 'deadlock' ? '' : `: ${outcome.reason}`}`;
}
