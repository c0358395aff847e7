/**
 * The search dialog's behaviour (see Search.astro). Pagefind's browser API
 * is loaded from the built site (`/pagefind/pagefind.js`) the first time the
 * dialog opens, never bundled: it is generated with the index.
 */

// A module, not a script: its names (`status`, say) stay its own instead of meeting the window's.
export {};

interface PagefindSubResult { title: string; url: string; excerpt: string }
interface PagefindData { url: string; excerpt: string; meta: { title?: string }; sub_results: PagefindSubResult[] }
interface PagefindApi {
  options(options: { baseUrl?: string; excerptLength?: number }): Promise<void>;
  debouncedSearch(term: string, options?: object, ms?: number): Promise<{ results: { data(): Promise<PagefindData> }[] } | null>;
}

const MAX_PAGES = 8;
const MAX_SECTIONS = 3;

const dialog = document.querySelector<HTMLDialogElement>('.search-dialog');
const input = dialog?.querySelector<HTMLInputElement>('.search-dialog__input');
const status = dialog?.querySelector<HTMLElement>('.search-dialog__status');
const list = dialog?.querySelector<HTMLOListElement>('.search-dialog__results');

let api: Promise<PagefindApi> | undefined;

function loadPagefind(base: string): Promise<PagefindApi> {
  api ??= (async () => {
    const root = base.endsWith('/') ? base : `${base}/`;
    const url = `${root}pagefind/pagefind.js`;
    const module = (await import(/* @vite-ignore */ url)) as PagefindApi;
    await module.options({ baseUrl: root, excerptLength: 24 });
    return module;
  })();
  // A failed load (say, offline before the index was ever cached) may be retried on the next open.
  api.catch(() => (api = undefined));
  return api;
}

/** Pagefind's excerpts are HTML with only <mark> in them; keep exactly that, as nodes. */
function excerptNodes(html: string): Node[] {
  const nodes: Node[] = [];
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      // Decoded in an inert <template>: entities become characters, spaces stay, nothing runs.
      const template = document.createElement('template');
      template.innerHTML = part;
      const textNode = document.createTextNode(template.content.textContent ?? '');
      if (marked) {
        const mark = document.createElement('mark');
        mark.append(textNode);
        nodes.push(mark);
      } else nodes.push(textNode);
    }
  }
  return nodes;
}

function link(href: string, label: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = label;
  a.addEventListener('click', () => dialog?.close());
  return a;
}

function excerpt(html: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = 'search-result__excerpt';
  p.append(...excerptNodes(html));
  return p;
}

function render(pages: PagefindData[], term: string): void {
  if (!list || !status) return;
  list.replaceChildren();
  if (pages.length === 0) {
    status.textContent = `Nothing in the book matches “${term}”.`;
    return;
  }
  status.textContent = pages.length === 1 ? `1 page matches “${term}”.` : `${pages.length === MAX_PAGES ? `${MAX_PAGES} or more` : pages.length} pages match “${term}”.`;
  for (const page of pages) {
    const item = document.createElement('li');
    item.className = 'search-result';
    const title = document.createElement('div');
    title.className = 'search-result__page';
    title.append(link(page.url, page.meta.title ?? page.url));
    item.append(title);
    const sections = page.sub_results.filter((section) => section.url !== page.url).slice(0, MAX_SECTIONS);
    if (sections.length === 0) item.append(excerpt(page.excerpt));
    else {
      const sub = document.createElement('ul');
      sub.className = 'search-result__sections';
      for (const section of sections) {
        const li = document.createElement('li');
        li.append(link(section.url, section.title), excerpt(section.excerpt));
        sub.append(li);
      }
      item.append(sub);
    }
    list.append(item);
  }
}

async function runSearch(base: string): Promise<void> {
  if (!input || !status || !list) return;
  const term = input.value.trim();
  if (term === '') {
    status.textContent = '';
    list.replaceChildren();
    return;
  }
  try {
    const pagefind = await loadPagefind(base);
    const found = await pagefind.debouncedSearch(term, {}, 120);
    if (found === null) return; // superseded by a newer keystroke
    const pages = await Promise.all(found.results.slice(0, MAX_PAGES).map((result) => result.data()));
    if (input.value.trim() === term) render(pages, term);
  } catch {
    status.textContent = 'Search could not load. If you are offline, open the book once online first; the index is then kept for offline use.';
  }
}

function open(): void {
  if (!dialog || dialog.open) return;
  dialog.showModal();
  input?.select();
  void loadPagefind(dialog.dataset.base ?? '/').catch(() => undefined);
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable], .monaco-editor, [role="textbox"]') !== null;
}

if (dialog && input) {
  for (const button of document.querySelectorAll('[data-search-open]')) button.addEventListener('click', open);
  input.addEventListener('input', () => void runSearch(dialog.dataset.base ?? '/'));
  // In a search field, Chromium's Escape clears the text and keeps the dialog open: one Escape closes it.
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    dialog.close();
  });
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === '/' || event.key === 's') {
      event.preventDefault();
      open();
    }
  });
}
