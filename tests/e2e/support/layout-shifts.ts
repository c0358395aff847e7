/**
 * Layout shifts as Chromium reports them (PerformanceObserver 'layout-shift',
 * including those after input): what a reader sees as the page jumping.
 */
import type { Page } from '@playwright/test';

/** Collects layout shifts in the page, each with whether it moved anything other than what an output panel pushed down. */
export async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: { value: number; nodes: (Node | null)[] }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; sources: { node: Node | null }[] }[]) {
        w.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** How many shifts the page has seen so far (a start for shiftScoreSince). */
export const shiftCount = (page: Page) => page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts.length);

/** The summed score of every shift since the `from`-th. */
export function shiftScoreSince(page: Page, from: number): Promise<number> {
  return page.evaluate((start) => {
    const w = window as unknown as { __shifts: { value: number }[] };
    return w.__shifts.slice(start).reduce((sum, shift) => sum + shift.value, 0);
  }, from);
}
