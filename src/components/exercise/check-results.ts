/**
 * The results of a Check, inside the exercise's `role="status"` region: a
 * summary line, then every check with its verdict and, for a failure, the
 * message, the learner's line (a button that shows it in the editor) and
 * Replay for a seed that replays it. The region is aria-busy while the
 * checks run, so a screen reader announces the outcome once, not every step.
 */
import type { CheckResult, GradeResult } from '../../exercises/grade.ts';
import type { SourceLocation } from '../../runner/events.ts';
import { typeErrorNote } from '../../runner/type-error-note.ts';

export interface CheckResultsActions {
  replay(seed: number, check: CheckResult): void;
  reveal(location: SourceLocation): void;
}

type Verdict = 'waiting' | 'running' | CheckResult['status'];

const VERDICT_LABEL: Record<Verdict, string> = {
  waiting: 'Waiting',
  running: 'Checking…',
  passed: 'Passed',
  failed: 'Failed',
  error: 'Not checked',
};

export class CheckResults {
  readonly #region: HTMLElement;
  readonly #actions: CheckResultsActions;
  #items = new Map<string, HTMLLIElement>();
  #summary: HTMLElement | undefined;

  constructor(region: HTMLElement, actions: CheckResultsActions) {
    this.#region = region;
    this.#actions = actions;
  }

  /** A new Check: every check listed as waiting. */
  start(checks: readonly { id: string; title: string }[]): void {
    this.#region.setAttribute('aria-busy', 'true');
    this.#summary = element('p', 'weft-results__summary', `Checking your code against ${checks.length} check${checks.length === 1 ? '' : 's'}…`);
    const list = element('ol', 'weft-results__list');
    this.#items.clear();
    for (const check of checks) {
      const item = this.#item(check.id, check.title, 'waiting');
      this.#items.set(check.id, item);
      list.append(item);
    }
    this.#region.replaceChildren(this.#summary, list);
  }

  running(id: string, title: string): void {
    this.#replace(id, this.#item(id, title, 'running'));
  }

  ended(result: CheckResult): void {
    const item = this.#item(result.id, result.title, result.status);
    // Without the result's replayCue ("— replay seed N", the CLI's): here the Replay button says it.
    if (result.message) item.append(withCode(element('p', 'weft-results__message'), result.message));
    const actions = element('div', 'weft-results__actions');
    if (result.location) {
      const location = result.location;
      actions.append(button(`Show line ${location.line}`, 'weft-results__line', () => this.#actions.reveal(location)));
    }
    if (result.seed !== undefined) {
      const seed = result.seed;
      actions.append(button(`Replay seed ${seed}`, 'weft-results__replay', () => this.#actions.replay(seed, result)));
    }
    if (actions.childElementCount > 0) item.append(actions);
    this.#replace(result.id, item);
  }

  finished(result: GradeResult, stopped: boolean): void {
    const passed = result.checks.filter((c) => c.status === 'passed').length;
    const total = result.checks.length;
    const text = stopped
      ? `Stopped. ${passed} of ${total} checks passed before you stopped.`
      : result.passed
        ? `All ${total} checks passed. Solved!`
        : `${passed} of ${total} checks passed.`;
    this.#summary?.replaceChildren(text);
    this.#summary?.classList.toggle('weft-results__summary--passed', result.passed);
    this.#region.setAttribute('aria-busy', 'false');
  }

  /**
   * The type errors the editor marks in the code being checked (TypeScript's squiggles), said under the summary with
   * a button to the first: a check that fails on NaN or "x.toUpperCase is not a function" may fail because of one.
   */
  typeErrors(errors: readonly { line: number; column?: number; message: string }[]): void {
    const text = typeErrorNote(errors, 'the checks run it anyway, so what they report may come from it');
    if (text === undefined) return;
    const note = element('div', 'weft-results__types');
    note.append(element('p', 'weft-results__types-text', text));
    const first = errors[0]!;
    const location = { line: first.line, column: first.column ?? 1 };
    note.append(button(`Show line ${first.line}`, 'weft-results__line', () => this.#actions.reveal(location)));
    this.#summary?.after(note);
  }

  /** After a pass: a link to the next exercise the reader has not solved. */
  continueWith(title: string, href: string): void {
    const line = element('p', 'weft-results__continue', 'Continue with ');
    const link = document.createElement('a');
    link.href = href;
    link.textContent = title;
    line.append(link, '.');
    this.#region.append(line);
  }

  /** The Check could not even start (no isolation, the runner failed to load): said in the region. */
  failedToStart(message: string): void {
    const note = element('p', 'weft-results__summary weft-results__summary--error', message);
    this.#region.replaceChildren(note);
    this.#region.setAttribute('aria-busy', 'false');
  }

  clear(): void {
    this.#region.replaceChildren();
    this.#region.removeAttribute('aria-busy');
    this.#items.clear();
  }

  #replace(id: string, item: HTMLLIElement): void {
    const old = this.#items.get(id);
    if (old) old.replaceWith(item);
    else this.#region.querySelector('.weft-results__list')?.append(item);
    this.#items.set(id, item);
  }

  #item(id: string, title: string, verdict: Verdict): HTMLLIElement {
    const item = element('li', `weft-results__check weft-results__check--${verdict}`) as HTMLLIElement;
    item.dataset.check = id;
    const head = element('p', 'weft-results__head');
    head.append(element('span', 'weft-results__verdict', VERDICT_LABEL[verdict]), ' ', withCode(element('span', 'weft-results__title'), title));
    item.append(head);
    return item;
  }
}

/**
 * A check's words cut at its backticks: "At most `slots` CPU jobs" names
 * `slots` as code, which the page sets as code (the CLI prints the backticks).
 */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text.split(/`([^`\n]+)`/).map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((span) => span.text !== '');
}

function withCode(e: HTMLElement, text: string): HTMLElement {
  for (const span of codeSpans(text)) {
    if (!span.code) e.append(span.text);
    else e.append(Object.assign(document.createElement('code'), { textContent: span.text }));
  }
  return e;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `weft-example__button ${className}`;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
