/**
 * `<theme-select>`: stores the reader's choice and keeps `data-theme` on
 * <html> in step with it (and with the OS while on Auto). ThemeScript.astro
 * applies the same rule before first paint; this keeps it applied afterwards.
 * Whoever else needs the theme (Monaco) observes `data-theme`.
 */
const STORAGE_KEY = 'weft-theme';
type Choice = 'auto' | 'light' | 'dark';
const darkQuery = matchMedia('(prefers-color-scheme: dark)');

function storedChoice(): Choice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto';
  }
}

function apply(choice: Choice): void {
  const theme = choice === 'auto' ? (darkQuery.matches ? 'dark' : 'light') : choice;
  if (document.documentElement.dataset.theme !== theme) document.documentElement.dataset.theme = theme;
}

class ThemeSelect extends HTMLElement {
  connectedCallback(): void {
    const select = this.querySelector('select');
    if (!select) return;
    select.value = storedChoice();
    select.addEventListener('change', () => {
      const choice = select.value as Choice;
      try {
        if (choice === 'auto') localStorage.removeItem(STORAGE_KEY);
        else localStorage.setItem(STORAGE_KEY, choice);
      } catch {
        // Storage can be unavailable (private mode); the choice still applies to this page.
      }
      apply(choice);
    });
  }
}

darkQuery.addEventListener('change', () => apply(storedChoice()));
if (!customElements.get('theme-select')) customElements.define('theme-select', ThemeSelect);
