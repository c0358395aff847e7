/**
 * A reader's edits to a runnable example, kept across reloads as exercise
 * drafts are. Stored in localStorage (small, synchronous: the example shows
 * its draft before first paint of the code would matter), keyed by the page
 * and the example's original code, so a draft follows its example even if
 * the chapter's examples are reordered, and an example the book rewrites
 * starts afresh. No imports: the eager example element uses it.
 */

const PREFIX = 'weft-example-draft:';

/** FNV-1a over UTF-16 code units: a short, stable name for an example's original code. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

export function draftKey(pathname: string, original: string): string {
  return `${PREFIX}${pathname}:${fingerprint(original)}`;
}

/** The saved draft, or undefined (none, or storage unavailable). */
export function loadDraft(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Saves the draft; code equal to the original removes it. False when storage refused (full, or disabled). */
export function saveDraft(key: string, original: string, code: string): boolean {
  try {
    if (code === original) localStorage.removeItem(key);
    else localStorage.setItem(key, code);
    return true;
  } catch {
    return false;
  }
}
