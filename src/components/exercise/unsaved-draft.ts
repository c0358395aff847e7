/**
 * An exercise's draft as the page was left, kept synchronously in this tab's
 * sessionStorage: IndexedDB (progress/store.ts) may not get to commit before
 * the page goes (a draft typed just before a reload was lost, issue 17), so
 * weft-exercise.ts keeps it here too and takes it back on load if it is newer.
 */

/** sessionStorage key prefix of a draft kept as the page was left. */
const UNSAVED_PREFIX = 'weft-unsaved-draft:';

/** Keeps `source` as exercise `id`'s draft as the page is left; without sessionStorage (or with it full), nothing is kept. */
export function keepUnsaved(id: string, source: string): void {
  try {
    sessionStorage.setItem(UNSAVED_PREFIX + id, JSON.stringify({ source, savedAt: Date.now() }));
  } catch {
    // No sessionStorage (or full): IndexedDB alone, as before.
  }
}

/** The draft this tab kept as it left the page, if any; it is removed once read. */
export function takeUnsaved(id: string): { source: string; savedAt: number } | undefined {
  try {
    const raw = sessionStorage.getItem(UNSAVED_PREFIX + id);
    if (raw === null) return undefined;
    sessionStorage.removeItem(UNSAVED_PREFIX + id);
    const value = JSON.parse(raw) as { source?: unknown; savedAt?: unknown };
    return typeof value.source === 'string' && typeof value.savedAt === 'number' ? { source: value.source, savedAt: value.savedAt } : undefined;
  } catch {
    return undefined;
  }
}
