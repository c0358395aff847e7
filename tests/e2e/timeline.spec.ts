// The run made visible: after a run, a Timeline of its threads, locks and
// messages; a deadlock drawn as a wait-for graph; an example run under 20
// schedules lists its distinct outcomes, and choosing one replays it with its
// timeline. On the built book, as a reader drives it: by buttons, lists and
// figures' names, and by keyboard.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput, replaceCode, type ExampleOnPage } from './support/examples.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/timeline/${name}`, import.meta.url), 'utf8').trimEnd();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = '/tmp/timeline-shots';

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    // Monaco's internals are its authors'; the output log's thread tags on an error line are the log's (a contrast issue left to it).
    const result = await axe.run({ exclude: [['.monaco-editor'], ['.weft-log__error .weft-log__thread']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  });
}

/** The chapter's lock-order deadlock example (two threads, two locks, taken in opposite orders). */
async function lockOrderExample(page: Page): Promise<ExampleOnPage> {
  return exampleWith(page, '/shared-state/', 'this thread: b, then a');
}

/** The example on `path` whose code contains `text`. */
async function exampleWith(page: Page, path: string, text: string): Promise<ExampleOnPage> {
  await page.goto(path);
  const all = page.locator('weft-example');
  const count = await all.count();
  for (let n = 1; n <= count; n++) {
    if ((await all.nth(n - 1).locator('pre').textContent())?.includes(text)) return example(page, n);
  }
  throw new Error(`no example on ${path} contains ${text}`);
}

/** The line the editor's cursor is on, by its line number in the margin. */
async function cursorLine(ex: ExampleOnPage): Promise<string | undefined> {
  const editor = ex.root.locator('.monaco-editor');
  await expect(editor).toBeVisible({ timeout: 60_000 });
  await expect(editor.locator('.view-overlays .current-line')).toHaveCount(1);
  return editor.evaluate((root) => {
    const top = root.querySelector<HTMLElement>('.view-overlays .current-line')?.parentElement?.style.top;
    for (const margin of root.querySelectorAll<HTMLElement>('.margin-view-overlays > div')) {
      if (margin.style.top === top) return margin.querySelector('.line-numbers')?.textContent?.trim();
    }
    return undefined;
  });
}

function timeline(ex: ExampleOnPage): Locator {
  return ex.root.getByRole('figure', { name: /^Timeline/ });
}

/** Table rows as [thread, event] pairs. */
async function tableRows(figure: Locator): Promise<Array<[string, string]>> {
  const rows = figure.getByRole('table').locator('tbody tr');
  return (await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[1]!.textContent ?? '', tr.children[2]!.textContent ?? '']))) as Array<[string, string]>;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a lock-order deadlock shows its wait-for graph naming both threads and both lines, and its timeline (${scheme})`, async ({ page, pageErrors }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const ex = await lockOrderExample(page);
    await ex.run.click();
    await expect(ex.log.locator('.weft-log__status')).toHaveCount(1, { timeout: 60_000 });
    const { status } = await finishedOutput(ex);
    expect(status).toContain('Deadlock');
    const graph = ex.root.getByRole('figure', { name: /^Wait-for graph/ });
    await expect(graph).toBeVisible();
    const name = (await graph.locator('figcaption').textContent()) ?? '';
    // main takes a then waits for b at line 19; thread 2 takes b then waits for a at line 13.
    // Locks are named A, B, ... in the order they were first taken, which a free run does not fix.
    expect(name).toMatch(/main waits at line 19 for lock [AB], held by thread 2 \(locked at line 11\)/);
    expect(name).toMatch(/thread 2 waits at line 13 for lock [AB], held by main \(locked at line 16\)/);
    expect(name).toMatch(/The cycle: (main → thread 2 → main|thread 2 → main → thread 2)/);

    await ex.root.getByRole('button', { name: 'Timeline', exact: true }).click();
    const figure = timeline(ex);
    await expect(figure).toBeVisible();
    await expect(figure.locator('.tl-lane-name')).toHaveText(['main', 'thread 2']);
    await expect(figure.getByRole('list', { name: 'Legend' })).toContainText('holds lock A');
    await ex.root.screenshot({ path: `${SHOTS}/deadlock-${scheme}.png` });
    expect(await violations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
}

{
  // 20 runs one after another: slow on a loaded machine, so one test covers both themes (light, then dark at the end).
  const scheme = 'light';
  test('a lost update run under 20 schedules shows its outcomes; the bad one replays with a timeline where the threads interleave', async ({ page, pageErrors }) => {
    test.setTimeout(900_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/shared-state/');
    const ex = example(page, 1);
    await replaceCode(page, ex, fixture('lost-update.ts'));
    await ex.root.getByRole('button', { name: 'Run under 20 schedules' }).click();
    const outcomes = ex.root.getByRole('list', { name: 'Outcomes' });
    await expect(outcomes).toBeVisible({ timeout: 800_000 });
    const items = outcomes.getByRole('listitem');
    expect(await items.count()).toBeGreaterThanOrEqual(2);
    // Four increments in all: any total under 4 lost one. Each outcome says how many schedules gave it.
    const counts = await outcomes.locator('.weft-outcomes__count').allTextContents();
    const total = counts.reduce((sum, t) => sum + Number(/^(\d+) of 20 schedules/.exec(t)?.[1] ?? 0), 0);
    expect(total).toBe(20);
    const bad = items.filter({ has: page.locator('.weft-outcomes__text', { hasText: /^Total: [0-3]$/ }) }).first();
    await expect(bad).toBeVisible();
    await ex.root.screenshot({ path: `${SHOTS}/outcomes-${scheme}.png` });
    await bad.getByRole('button').click();

    const figure = timeline(ex);
    await expect(figure).toBeVisible({ timeout: 60_000 });
    await expect(figure).toHaveAccessibleName(/^Timeline of the run under seed \d+/);
    await expect(figure.locator('.tl-lane-name')).toHaveText(['main', 'thread 2', 'thread 3']);
    // The replay printed the bad total again.
    await expect(ex.log.locator('.weft-log__text')).toContainText([/^Total: [0-3]$/]);
    await ex.root.screenshot({ path: `${SHOTS}/timeline-${scheme}.png` });

    // In the table: some thread read (its first lock of a pair) and, before it wrote (its second), the other thread locked too.
    await figure.getByRole('button', { name: 'Show as table' }).click();
    const rows = (await tableRows(figure)).filter(([, what]) => what === 'locked lock A');
    const interleaved = ['thread 2', 'thread 3'].some((me) => {
      const mine = rows.map(([who], i) => (who === me ? i : -1)).filter((i) => i >= 0);
      for (let pair = 0; pair + 1 < mine.length; pair += 2) {
        if (rows.slice(mine[pair]! + 1, mine[pair + 1]!).some(([who]) => who !== me && who !== 'main')) return true;
      }
      return false;
    });
    expect(interleaved).toBe(true);
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    // The table is shown (toggled above): its picture, then the timeline's with the outcomes above it.
    await ex.root.screenshot({ path: `${SHOTS}/table-dark.png` });
    await figure.getByRole('button', { name: 'Show as table' }).click();
    await ex.root.screenshot({ path: `${SHOTS}/timeline-dark.png` });
    expect(await violations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
}

test('the timeline and its table are reachable by keyboard, and an event takes the editor to its line', async ({ page }) => {
  test.setTimeout(120_000);
  const ex = await lockOrderExample(page);
  await ex.run.click();
  await finishedOutput(ex);
  const open = ex.root.getByRole('button', { name: 'Timeline', exact: true });
  await open.focus();
  await page.keyboard.press('Enter');
  const figure = timeline(ex);
  await expect(figure).toBeVisible();
  await expect(open).toHaveAttribute('aria-expanded', 'true');

  // Tab reaches the table toggle, the zoom buttons, then one event of the picture; arrows move between events.
  const toggle = figure.getByRole('button', { name: 'Show as table' });
  for (let i = 0; i < 10 && !(await toggle.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(toggle).toBeFocused();
  const focused = figure.locator('.tl-hit:focus');
  for (let i = 0; i < 5 && (await focused.count()) === 0; i++) await page.keyboard.press('Tab');
  await expect(focused).toHaveCount(1);
  const first = await focused.getAttribute('aria-label');
  await page.keyboard.press('ArrowRight');
  const second = await figure.locator('.tl-hit:focus').getAttribute('aria-label');
  expect(second).not.toBe(first);
  await expect(figure.locator('.tl-detail')).toHaveText(second!);
  // + zooms in around the focused event, which keeps focus; 0 fits the whole run again.
  const svgWidth = () => figure.locator('svg.tl-svg').evaluate((svg) => Number(svg.getAttribute('width')));
  const before = await svgWidth();
  await page.keyboard.press('+');
  await expect.poll(svgWidth).toBeGreaterThan(before);
  await expect(figure.locator('.tl-hit:focus')).toHaveAttribute('aria-label', second!);
  await page.keyboard.press('0');
  await expect(figure.getByRole('group', { name: 'Zoom' })).toContainText('whole run in view');

  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const table = figure.getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead th')).toHaveText(['Time', 'Thread', 'Event', 'Object', 'Line']);
  await expect(table).toContainText(/main.*blocked on lock [AB]/);

  // The line of main's wait (19): Enter on it opens the editor with the cursor there.
  const line19 = table.getByRole('button', { name: 'line 19' }).first();
  await line19.focus();
  await page.keyboard.press('Enter');
  expect(await cursorLine(ex)).toBe('19');
});

test('the wait-for graph\'s edges are links to their lines, by click and by keyboard', async ({ page }) => {
  test.setTimeout(120_000);
  const ex = await lockOrderExample(page);
  await ex.run.click();
  await finishedOutput(ex);
  const graph = ex.root.getByRole('figure', { name: /^Wait-for graph/ });
  await expect(graph).toBeVisible();
  // Four links: where each thread waits (13, 19) and where each holder took its lock (11, 16).
  const links = graph.getByRole('button', { name: /Show the line$/ });
  await expect(links).toHaveCount(4);
  const holder = graph.getByRole('button', { name: /is held by thread 2, locked at line 11\. Show the line/ });
  await holder.focus();
  await page.keyboard.press('Enter');
  expect(await cursorLine(ex)).toBe('11');
  await graph.getByRole('button', { name: /main waits for lock [AB] at line 19\. Show the line/ }).click();
  await expect.poll(() => cursorLine(ex)).toBe('19');
});

test('zoom and pan: buttons, Ctrl+wheel around the pointer, and dragging the picture', async ({ page, pageErrors }) => {
  test.setTimeout(120_000);
  const ex = await lockOrderExample(page);
  await ex.run.click();
  await finishedOutput(ex);
  await ex.root.getByRole('button', { name: 'Timeline', exact: true }).click();
  const figure = timeline(ex);
  const picture = figure.locator('.tl-scroll');
  const svgWidth = () => figure.locator('svg.tl-svg').evaluate((svg) => Number(svg.getAttribute('width')));
  const zoom = figure.getByRole('group', { name: 'Zoom' });
  await zoom.getByRole('button', { name: 'Fit to width' }).click();
  const fit = await svgWidth();
  const box = (await picture.boundingBox())!;
  // The whole run fits the picture's width: nothing to scroll.
  expect(await picture.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  await expect(zoom.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
  await zoom.getByRole('button', { name: 'Zoom in' }).click();
  await zoom.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(svgWidth).toBe(fit * 4);
  await expect(zoom).toContainText('4.0× the width');
  await figure.screenshot({ path: `${SHOTS}/zoomed-light.png` });
  // Zooming keeps the middle of what was in view in the middle.
  const middle = await picture.evaluate((el) => (el.scrollLeft + el.clientWidth / 2) / el.scrollWidth);
  expect(middle).toBeGreaterThan(0.4);
  expect(middle).toBeLessThan(0.6);
  // Drag the background to pan.
  const left = await picture.evaluate((el) => el.scrollLeft);
  await page.mouse.move(box.x + box.width / 2, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + 8, { steps: 5 });
  await page.mouse.up();
  expect(await picture.evaluate((el) => el.scrollLeft)).toBeLessThan(left - 100);
  // Ctrl+wheel zooms around the pointer.
  await page.mouse.move(box.x + 200, box.y + box.height / 2);
  const wide = await svgWidth();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await expect.poll(svgWidth).toBeGreaterThan(wide);
  expect(pageErrors).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`tasks: each a row under its thread, polls as spans, the blocking call one long bar, a summary on hover (${scheme})`, async ({ page, pageErrors }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const ex = await exampleWith(page, '/async/', 'blockingSleep(300)');
    await ex.run.click();
    await finishedOutput(ex);
    await ex.root.getByRole('button', { name: 'Timeline', exact: true }).click();
    const figure = timeline(ex);
    await expect(figure).toBeVisible();
    await expect(figure.locator('.tl-task-name')).toHaveText(['main task', 'task 1', 'task 2']);
    // The ticker (task 1) polls once per tick; the worker's one poll with the blocking call is drawn as such and is long.
    const blocking = figure.locator('.tl-hit:has(.tl-poll--blocking)');
    await expect(blocking).toHaveCount(1);
    await expect(blocking).toHaveAttribute('aria-label', /polled task 2 for (\d{3}\.\d\d ms|\d\.\d\d s), to its end; it made a blocking call/);
    const widths = await figure.locator('.tl-poll').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    const longest = Math.max(...widths);
    expect(await blocking.locator('rect').evaluate((r) => Number(r.getAttribute('width')))).toBe(longest);
    // No poll of the ticker falls inside the blocking poll: the thread could not run it.
    const span = await blocking.locator('rect').evaluate((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('x')) + Number(r.getAttribute('width'))]);
    const tickerPolls = await figure
      .locator('.tl-hit')
      .filter({ has: page.locator('.tl-poll') })
      .evaluateAll((gs) => gs.filter((g) => /polled task 1 /.test(g.getAttribute('aria-label') ?? '')).map((g) => Number(g.querySelector('rect')!.getAttribute('x'))));
    expect(tickerPolls.length).toBeGreaterThanOrEqual(4);
    expect(tickerPolls.filter((x) => x > span[0]! + 1 && x < span[1]! - 1)).toEqual([]);
    // Hovering a task's row shows tokio-console's summary.
    const life = figure.locator('.tl-hit:has(.tl-task-life)').nth(1);
    await life.hover();
    await expect(figure.locator('.tl-detail')).toHaveText(/^task 1: \d+ polls, busy [\d.]+ (µs|ms), idle [\d.]+ (ms|s); ended ok$/);
    await expect(figure.getByRole('list', { name: 'Legend' })).toContainText('a poll that made a blocking call');
    await ex.root.screenshot({ path: `${SHOTS}/tasks-${scheme}.png` });
    expect(await violations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
}

test('a 10,000-event run: its timeline draws what is close together as one shape that says so, zoom tells them apart, and the table comes a thousand rows at a time', async ({ page, pageErrors }) => {
  test.setTimeout(180_000);
  await page.goto('/shared-state/');
  const ex = example(page, 1);
  await replaceCode(
    page,
    ex,
    `import { Mutex } from "weft/sync";

function main() {
  const m = new Mutex(0);
  for (let i = 0; i < 5000; i++) {
    using g = m.lock();
    g.value += 1;
  }
  console.log(\`locked \${m.lock().value} times\`);
}`,
  );
  await ex.run.click();
  const { lines } = await finishedOutput(ex);
  expect(lines).toEqual(['locked 5000 times']);
  await ex.root.getByRole('button', { name: 'Timeline', exact: true }).click();
  const figure = timeline(ex);
  await expect(figure.locator('.tl-scale')).toContainText(/1\d,\d{3} events|10\d{3} events/);
  const hits = figure.locator('.tl-hit');
  await expect(hits.first()).toBeVisible();
  // The whole run in view: 5,000 holds in a few hundred px. Far fewer shapes than events: holds that touch on screen
  // are one band that says how many it stands for.
  await figure.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Fit to width' }).click();
  await expect(figure.getByRole('group', { name: 'Zoom' })).toContainText('whole run in view');
  expect(await hits.count()).toBeLessThan(2000);
  await expect(figure.locator('.tl-hit[aria-label*="more here: zoom in to tell them apart"]').first()).toBeAttached();
  const merged = await figure.locator('.tl-hit[aria-label*="more here"]').count();
  await figure.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Zoom in' }).click();
  await figure.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Zoom in' }).click();
  await figure.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => figure.locator('.tl-hit[aria-label*="more here"]').count()).not.toBe(merged);
  // The table: the first thousand rows, then a thousand more on request.
  await figure.screenshot({ path: `${SHOTS}/many-events-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await figure.screenshot({ path: `${SHOTS}/many-events-dark.png` });
  await figure.getByRole('button', { name: 'Show as table' }).click();
  const rows = figure.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(1000);
  await expect(figure.getByRole('table').locator('caption')).toHaveText(/^Events 1 to 1,000 of 1\d,\d{3}, in time order$/);
  await figure.getByRole('button', { name: 'Show the next 1,000 events' }).click();
  await expect(rows).toHaveCount(2000);
  expect(pageErrors).toEqual([]);
});

test('a deadlock of tasks draws its wait-for graph: each task, the async Mutex it waits for, the task holding it, both lines', async ({ page, pageErrors }) => {
  test.setTimeout(120_000);
  const ex = await exampleWith(page, '/async/', 'blockingSleep(300)');
  await replaceCode(page, ex, fixture('task-deadlock.ts'));
  await ex.run.click();
  const { status } = await finishedOutput(ex);
  expect(status).toContain('Deadlock');
  const graph = ex.root.getByRole('figure', { name: /^Wait-for graph/ });
  await expect(graph).toBeVisible();
  await expect(graph).toHaveAccessibleName(
    "Wait-for graph: task 'main' waits at line 18 to join task 1; task 1 waits at line 9 for async Mutex 2, held by task 2 (locked at line 13); task 2 waits at line 15 for async Mutex 1, held by task 1 (locked at line 7). The cycle: task 1 → task 2 → task 1.",
  );
  await graph.getByRole('button', { name: 'held by (line 7): async Mutex 1 is held by task 1, locked at line 7. Show the line' }).click();
  await expect.poll(() => cursorLine(ex)).toBe('7');
  await ex.root.screenshot({ path: `${SHOTS}/task-deadlock-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await ex.root.screenshot({ path: `${SHOTS}/task-deadlock-dark.png` });
  expect(await violations(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

