/**
 * `<weft-progress-count exercises="join-results shared-counter">`: how many
 * of those exercises the reader has solved, as "1 of 2 exercises solved".
 * The build writes "2 exercises" inside it, which is what a reader without
 * JavaScript (or without storage) keeps seeing. It follows changes made on
 * this page and in the book's other tabs (store.ts, onProgressChange).
 */
import { onProgressChange, readAllProgress } from '../../progress/store.ts';
import { statusOf } from '../../progress/schema.ts';

class WeftProgressCount extends HTMLElement {
  #unsubscribe: (() => void) | undefined;

  connectedCallback(): void {
    void this.#update();
    this.#unsubscribe = onProgressChange(() => void this.#update());
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
  }

  async #update(): Promise<void> {
    const ids = (this.getAttribute('exercises') ?? '').split(/\s+/).filter(Boolean);
    if (ids.length === 0) return;
    let progress;
    try {
      progress = await readAllProgress();
    } catch {
      return; // No storage: the static count stays.
    }
    const solved = ids.filter((id) => statusOf(progress.get(id)) === 'solved').length;
    this.textContent = `${solved} of ${ids.length} exercise${ids.length === 1 ? '' : 's'} solved`;
    this.dataset.solved = String(solved);
    this.toggleAttribute('data-complete', solved === ids.length);
  }
}

if (!customElements.get('weft-progress-count')) customElements.define('weft-progress-count', WeftProgressCount);
