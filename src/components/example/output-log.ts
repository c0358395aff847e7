/**
 * Renders a run's events into the example's `role="log"` panel: output lines
 * tagged by thread, errors with their location, and a final status line.
 * Lines are queued and written once per animation frame, and only the last
 * MAX_LINES are kept, so a program that prints in a tight loop cannot make
 * the page unresponsive.
 */
import type { ReaderError, RunEvent, SourceLocation } from '../../runner/events.ts';
import { summarizeOutcome } from './run-summary.ts';

const MAX_LINES = 1000;
const THREAD_COLOURS = 8;

type Line = () => HTMLElement;

export class OutputLog {
  readonly #panel: HTMLElement;
  readonly #onLocation: (location: SourceLocation) => void;
  #queue: Line[] = [];
  #frame = 0;
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
          if (summary.detail && summary.detail !== summary.label) line.append(span('weft-log__status-detail', summary.detail));
          return line;
        });
        break;
      }
    }
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
    if (this.#queue.length > MAX_LINES) {
      this.#dropped += this.#queue.length - MAX_LINES;
      this.#queue.splice(0, this.#queue.length - MAX_LINES);
    }
    this.#frame ||= requestAnimationFrame(() => this.#flush());
  }

  #flush(): void {
    this.#frame = 0;
    const panel = this.#panel;
    const atBottom = panel.scrollHeight - panel.scrollTop - panel.clientHeight < 24;
    const fragment = document.createDocumentFragment();
    for (const render of this.#queue) fragment.append(render());
    this.#queue = [];
    panel.append(fragment);
    const excess = panel.childElementCount - MAX_LINES;
    if (excess > 0) {
      this.#dropped += excess;
      for (let i = 0; i < excess; i++) panel.firstElementChild?.remove();
    }
    if (this.#dropped > 0) {
      let notice = panel.querySelector<HTMLElement>(':scope > .weft-log__dropped');
      if (!notice) {
        notice = lineElement('weft-log__dropped');
        panel.prepend(notice);
      }
      notice.textContent = `… ${this.#dropped} earlier line${this.#dropped === 1 ? '' : 's'} not shown`;
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
