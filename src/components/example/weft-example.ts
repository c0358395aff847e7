/**
 * `<weft-example>`: the eager part of a runnable example, kept tiny. The
 * markup comes from the build (src/markdown/runnable-examples.ts): toolbar,
 * highlighted code, source as JSON, hidden output log. This element enables
 * the toolbar and, on first use, loads the controller (and with it the editor
 * and the runner) with `import()`. Hovering or focusing a toolbar prewarms
 * the runner's standby workers, so the first Run starts fast.
 */
import type { ExampleAction, ExampleController } from './example-controller.ts';
import { draftKey, loadDraft } from './example-drafts.ts';

let prewarmed = false;
function prewarmRunner(): void {
  if (prewarmed) return;
  prewarmed = true;
  import('../../runner/browser-host.ts').then(
    (host) => host.prewarm(),
    (error: unknown) => console.warn('weft: could not prewarm the runner', error),
  );
}

const isAction = (value: string | undefined): value is ExampleAction =>
  value === 'run' || value === 'stop' || value === 'reset' || value === 'edit' || value === 'explore' || value === 'timeline';

class WeftExample extends HTMLElement {
  #controller: Promise<ExampleController> | undefined;

  connectedCallback(): void {
    if (this.hasAttribute('data-ready')) return;
    this.setAttribute('data-ready', '');
    const toolbar = this.querySelector<HTMLElement>('.weft-example__toolbar');
    if (!toolbar) return;
    for (const button of toolbar.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      button.disabled = button.dataset.action === 'stop';
    }
    toolbar.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (button && !button.disabled && isAction(button.dataset.action)) this.act(button.dataset.action);
    });
    this.#showDraft();
    toolbar.addEventListener('pointerenter', prewarmRunner, { once: true });
    toolbar.addEventListener('focusin', prewarmRunner, { once: true });
    // Ctrl/Cmd+Enter on the static code runs it too (the editor handles its own).
    this.querySelector('pre')?.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.act('run');
      }
    });
  }

  /** An edited version saved earlier replaces the book's code on screen (plain text until the editor opens). */
  #showDraft(): void {
    const source = this.querySelector('script.weft-example__source')?.textContent;
    const code = this.querySelector('pre > code');
    if (!source || !code) return;
    const draft = loadDraft(draftKey(location.pathname, JSON.parse(source) as string));
    if (draft === undefined) return;
    code.textContent = draft;
    this.setAttribute('data-draft', '');
    const hint = this.querySelector('.weft-example__hint');
    if (hint) hint.textContent = 'Your edited version';
  }

  /** Performs a toolbar action; loads the controller on first use. */
  act(action: ExampleAction): void {
    this.#controller ??= import('./example-controller.ts').then((module) => new module.ExampleController(this));
    this.#controller.then(
      (controller) => controller.act(action),
      (error: unknown) => console.error('weft: could not load the example controller', error),
    );
  }
}

if (!customElements.get('weft-example')) customElements.define('weft-example', WeftExample);
