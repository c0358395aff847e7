/**
 * Renders a run's events into an example's or an exercise's `role="log"` panel: output lines
 * tagged by thread, errors with their location, and a final status line.
 * Lines are queued and written at most once per animation frame (less often
 * while a flood goes on), and only the last MAX_LINES are kept, with a note
 * saying how many were dropped, so a program that prints in a tight loop
 * cannot make the page unresponsive. Adding a line costs O(1) however many
 * are queued; the runner already cuts very long lines (runner/output-ring.ts).
 */
import type { ReaderError, RunEvent, SourceLocation } from '../../runner/events.ts';
import { summarizeOutcome } from './run-summary.ts';
import { typeErrorNote, type MarkedError } from '../../runner/type-error-note.ts';

export const MAX_LINES = 1000;
/** While lines pour in, the panel is redrawn at most this often (a flood of redraws starves clicks). */
const FLOOD_REDRAW_MS = 250;
const THREAD_COLOURS = 8;

type Line = () => HTMLElement;

export class OutputLog {
  readonly #panel: HTMLElement;
  readonly #onLocation: (location: SourceLocation) => void;
  #queue: Line[] = [];
  #frame = 0;
  #later: ReturnType<typeof setTimeout> | undefined;
  #lastFlushLines = 0;
  #dropped = 0;
  #threadColours = new Map<string, number>();

  /** `onLocation` is called when the reader activates an error's "line L, column C". */
  constructor(panel: HTMLElement, onLocation: (location: SourceLocation) => void) {
    this.#panel = panel;
    this.#onLocation = onLocation;
  }

  clear(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    clearTimeout(this.#later);
    this.#later = undefined;
    this.#lastFlushLines = 0;
    this.#queue = [];
    this.#dropped = 0;
    this.#threadColours.clear();
    this.#panel.replaceChildren();
  }

  show(): void {
    this.#panel.hidden = false;
  }

  hide(): void {
    this.clear();
    this.#panel.hidden = true;
  }

  add(event: RunEvent, timeoutMs: number): void {
    switch (event.kind) {
      case 'output':
        this.#push(() => this.#outputLine(event.thread, event.threadId, event.stream, event.text));
        break;
      case 'error':
        this.#push(() => this.#errorLine(event.error));
        break;
      case 'end': {
        const summary = summarizeOutcome(event.outcome, timeoutMs);
        this.#push(() => {
          const line = lineElement(`weft-log__status weft-log__status--${summary.tone}`);
          line.append(span('weft-log__status-label', summary.label));
          if (summary.detail) line.append(span('weft-log__status-detail', summary.detail));
          return line;
        });
        break;
      }
    }
  }

  /**
   * Before a run: the type errors the editor marks (TypeScript's squiggles), which Rust would refuse to compile and
   * weft runs anyway. A reader who ran past them saw NaN or "x.toUpperCase is not a function" with no word of them.
   */
  typeErrors(errors: readonly MarkedError[]): void {
    const text = typeErrorNote(errors, 'weft runs it anyway, so what follows may go wrong because of it');
    if (text === undefined) return;
    this.#push(() => {
      const line = lineElement('weft-log__types');
      line.textContent = text;
      return line;
    });
  }

  /** A line from the page itself (not the program), e.g. a failure to start. */
  note(text: string, tone: 'error' | 'neutral' = 'neutral'): void {
    this.#push(() => {
      const line = lineElement(`weft-log__status weft-log__status--${tone}`);
      line.textContent = text;
      return line;
    });
  }

  #push(line: Line): void {
    this.#queue.push(line);
    // Trim in chunks, so a flood costs O(1) a line, not a shift of the whole queue.
    if (this.#queue.length >= 2 * MAX_LINES) {
      this.#dropped += this.#queue.length - MAX_LINES;
      this.#queue.splice(0, this.#queue.length - MAX_LINES);
    }
    if (this.#frame !== 0 || this.#later !== undefined) return;
    // After a big redraw, wait a little before the next: the reader can still click Stop.
    if (this.#lastFlushLines >= MAX_LINES / 4) {
      this.#later = setTimeout(() => {
        this.#later = undefined;
        this.#frame ||= requestAnimationFrame(() => this.#flush());
      }, FLOOD_REDRAW_MS);
    } else {
      this.#frame = requestAnimationFrame(() => this.#flush());
    }
  }

  #flush(): void {
    this.#frame = 0;
    const panel = this.#panel;
    const atBottom = panel.scrollHeight - panel.scrollTop - panel.clientHeight < 24;
    if (this.#queue.length > MAX_LINES) {
      this.#dropped += this.#queue.length - MAX_LINES;
      this.#queue.splice(0, this.#queue.length - MAX_LINES);
    }
    this.#lastFlushLines = this.#queue.length;
    if (this.#queue.length >= MAX_LINES) {
      // Every line on screen is replaced: start from an empty panel instead of removing a thousand one by one.
      this.#dropped += panel.querySelectorAll(':scope > .weft-log__line, :scope > .weft-log__status').length;
      panel.replaceChildren();
    }
    const fragment = document.createDocumentFragment();
    for (const render of this.#queue) fragment.append(render());
    this.#queue = [];
    panel.append(fragment);
    let notice = panel.querySelector<HTMLElement>(':scope > .weft-log__dropped');
    const excess = panel.childElementCount - (notice ? 1 : 0) - MAX_LINES;
    if (excess > 0) {
      this.#dropped += excess;
      const first = notice ? 1 : 0;
      const range = document.createRange();
      range.setStartBefore(panel.children[first]!);
      range.setEndAfter(panel.children[first + excess - 1]!);
      range.deleteContents();
    }
    if (this.#dropped > 0) {
      if (!notice) {
        notice = lineElement('weft-log__dropped');
        panel.prepend(notice);
      }
      notice.textContent = `… ${this.#dropped} earlier line${this.#dropped === 1 ? '' : 's'} dropped (the last ${MAX_LINES} are shown)`;
    }
    if (atBottom) panel.scrollTop = panel.scrollHeight;
  }

  #threadTag(thread: string, threadId?: number): HTMLElement {
    let colour = this.#threadColours.get(thread);
    if (colour === undefined) {
      colour = threadId !== undefined ? threadId % THREAD_COLOURS : this.#threadColours.size % THREAD_COLOURS;
      this.#threadColours.set(thread, colour);
    }
    const tag = span('weft-log__thread', `[${thread}]`);
    tag.style.setProperty('--thread-colour', `var(--thread-${colour})`);
    return tag;
  }

  #outputLine(thread: string, threadId: number, stream: string, text: string): HTMLElement {
    const line = lineElement(`weft-log__line weft-log__line--${stream}`);
    line.append(this.#threadTag(thread, threadId), span('weft-log__text', text));
    return line;
  }

  #errorLine(error: ReaderError): HTMLElement {
    const line = lineElement('weft-log__line weft-log__line--error weft-log__error');
    if (error.thread) line.append(this.#threadTag(error.thread));
    line.append(span('weft-log__text', `${error.name}: ${error.message}`));
    const location = error.location;
    if (location) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'weft-log__location';
      button.textContent = `line ${location.line}, column ${location.column}`;
      button.addEventListener('click', () => this.#onLocation(location));
      line.append(' ', button);
    }
    return line;
  }
}

function lineElement(className: string): HTMLElement {
  const line = document.createElement('div');
  line.className = className;
  return line;
}

function span(className: string, text: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
