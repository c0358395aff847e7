/**
 * What a reader of the Rust Book expects of a chapter page, added once the
 * page has loaded (the text reads the same without it):
 * - every h2/h3 is a link to itself, so a section's address can be copied;
 * - "On this page" marks the section being read while scrolling;
 * - ← and → go to the previous and next chapter;
 * - every code block has a Copy button.
 * Nothing here changes the layout: the links inherit the heading's look,
 * and the Copy button is positioned over its block.
 */

const article = document.querySelector<HTMLElement>('main article');

/** Keys typed into a field or the editor are the reader's, not the page's. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable], .monaco-editor, [role="textbox"], dialog') !== null;
}

function linkHeadings(root: HTMLElement): HTMLElement[] {
  const headings = [...root.querySelectorAll<HTMLElement>('h2[id], h3[id]')].filter((h) => !h.closest('nav, weft-exercise, .exercise'));
  for (const heading of headings) {
    if (heading.querySelector('a')) continue;
    const link = document.createElement('a');
    link.className = 'heading-link';
    link.href = `#${heading.id}`;
    link.append(...heading.childNodes);
    heading.append(link);
  }
  return headings;
}

function spyOnSections(headings: HTMLElement[]): void {
  const tocLinks = new Map<string, HTMLAnchorElement[]>();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]')) {
    const id = decodeURIComponent(link.hash.slice(1));
    tocLinks.set(id, [...(tocLinks.get(id) ?? []), link]);
  }
  const tracked = headings.filter((h) => tocLinks.has(h.id));
  if (tracked.length === 0) return;
  let current: string | undefined;
  const mark = (id: string | undefined) => {
    if (id === current) return;
    for (const link of tocLinks.get(current ?? '') ?? []) link.removeAttribute('aria-current');
    current = id;
    for (const link of tocLinks.get(current ?? '') ?? []) link.setAttribute('aria-current', 'true');
  };
  // The current section is the last heading above a line a third of the way down the window.
  const update = () => {
    const line = window.innerHeight / 3;
    let id: string | undefined;
    for (const heading of tracked) {
      if (heading.getBoundingClientRect().top <= line) id = heading.id;
      else break;
    }
    mark(id ?? tracked[0]!.id);
  };
  let queued = false;
  window.addEventListener(
    'scroll',
    () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        update();
      });
    },
    { passive: true },
  );
  window.addEventListener('resize', update, { passive: true });
  update();
}

function chapterKeys(): void {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || isTyping(event.target)) return;
    const rel = event.key === 'ArrowLeft' ? 'prev' : event.key === 'ArrowRight' ? 'next' : undefined;
    if (!rel) return;
    const link = document.querySelector<HTMLAnchorElement>(`.pager a[rel="${rel}"]`);
    if (!link) return;
    event.preventDefault();
    link.click();
  });
}

const COPY_ICON = 'M5 1.5h7.5v10H5zM3.5 4v10.5H11';

function copyButton(label: string, text: () => string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-code';
  button.innerHTML = `<svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="13" height="13"><path d="${COPY_ICON}" fill="none" stroke="currentColor" stroke-width="1.4"/></svg>`;
  const word = document.createElement('span');
  word.className = 'copy-code__word';
  word.textContent = 'Copy';
  button.append(word);
  button.setAttribute('aria-label', label);
  const status = document.createElement('span');
  status.className = 'sr-only';
  status.setAttribute('role', 'status');
  button.append(status);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      word.textContent = status.textContent = 'Copied';
    } catch {
      word.textContent = status.textContent = 'Copy failed';
    }
    setTimeout(() => {
      word.textContent = 'Copy';
      status.textContent = '';
    }, 1500);
  });
  return button;
}

const LANGUAGE_NAMES: Record<string, string> = { rust: 'Rust', ts: 'TypeScript', typescript: 'TypeScript', text: 'output', sh: 'shell', bash: 'shell' };

/** The code of a block, as written, without the trailing newline Shiki keeps. */
const codeOf = (pre: HTMLElement) => ((pre.querySelector('code') ?? pre).textContent ?? '').replace(/\n$/, '');

function copyButtons(root: HTMLElement): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre')) {
    if (pre.closest('.monaco-editor, weft-exercise, .code-block')) continue;
    const example = pre.closest('weft-example');
    if (example) {
      // A runnable example copies its code as the book shows it, from its toolbar.
      const toolbar = example.querySelector('.weft-example__toolbar');
      if (toolbar && !toolbar.querySelector('.copy-code')) {
        toolbar.querySelector('.weft-example__hint')?.after(copyButton('Copy the example’s code as written in the book', () => codeOf(pre)));
      }
      continue;
    }
    const language = LANGUAGE_NAMES[pre.dataset.language ?? ''];
    // The wrapper takes the block's margins, so wrapping moves nothing.
    const style = getComputedStyle(pre);
    const wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    wrapper.style.marginBlock = `${style.marginTop} ${style.marginBottom}`;
    pre.style.marginBlock = '0';
    pre.before(wrapper);
    wrapper.append(pre, copyButton(language ? `Copy the ${language} code` : 'Copy the code', () => codeOf(pre)));
  }
}

if (article) {
  const headings = linkHeadings(article);
  spyOnSections(headings);
  copyButtons(article);
  chapterKeys();
}
